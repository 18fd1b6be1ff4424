{#- Fan-out guard: pipeline_conversion_rollups has one row per roll-up key × period × channel of
    pipeline_conversion (teams by manager, segments, the company). -#}
with pipeline_conversion as (
    select * from {{ ref('pipeline_conversion') }}
),

rollups as (
    select * from {{ ref('pipeline_conversion_rollups') }}
),

period_channels as (
    select distinct
        period_start,
        channel
    from pipeline_conversion
),

rollup_keys as (
    select count(distinct coalesce(manager_id, 'no_team')) as key_count from pipeline_conversion
    union all
    select count(distinct segment) as key_count from pipeline_conversion
    union all
    select 1 as key_count
),

driver as (
    select
        (select count(*) from period_channels)
        * (select sum(key_count) from rollup_keys) as driver_rows
),

mart as (
    select count(*) as mart_rows from rollups
)

select
    driver.driver_rows,
    mart.mart_rows
from driver
cross join mart
where driver.driver_rows <> mart.mart_rows
