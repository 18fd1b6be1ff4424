{#- Fan-out guard: the mart has exactly the rows of int_opportunity_stage_intervals (its driver),
    and every opportunity of the canonical layer has at least one stage entry. -#}
with mart as (
    select count(*) as row_count from {{ ref('fct_opportunity_stage_intervals') }}
),

driver as (
    select count(*) as row_count from {{ ref('int_opportunity_stage_intervals') }}
),

opportunity_coverage as (
    select
        (select count(*) from {{ ref('stg_crm__opportunities') }}) as opportunity_count,
        (
            select count(distinct opportunity_id)
            from {{ ref('fct_opportunity_stage_intervals') }}
        ) as opportunities_with_entries
)

select
    mart.row_count as mart_rows,
    driver.row_count as driver_rows,
    opportunity_coverage.opportunity_count,
    opportunity_coverage.opportunities_with_entries
from mart
cross join driver
cross join opportunity_coverage
where
    mart.row_count <> driver.row_count
    or opportunity_coverage.opportunity_count <> opportunity_coverage.opportunities_with_entries
