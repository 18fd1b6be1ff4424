{#- Fan-out guard: pipeline_conversion has exactly one row per rep × report period × channel
    (each channel of the activity type map, plus `all`). Returns a row when the counts differ. -#}
with pipeline_conversion as (
    select * from {{ ref('pipeline_conversion') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

periods as (
    select * from {{ ref('int_periods_spined') }}
    where period_type = '{{ var("report_period") }}'
),

type_map as (
    select * from {{ ref('activity_type_map') }}
),

driver as (
    select
        (select count(distinct rep_id) from reps)
        * (select count(*) from periods)
        * (select count(distinct activity_channel) + 1 from type_map) as driver_rows
),

mart as (
    select count(*) as mart_rows from pipeline_conversion
)

select
    driver.driver_rows,
    mart.mart_rows
from driver
cross join mart
where driver.driver_rows <> mart.mart_rows
