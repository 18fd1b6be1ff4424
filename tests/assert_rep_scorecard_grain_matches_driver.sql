{#- Fan-out guard: rep_scorecard has exactly one row per live rep per report period. -#}
with scorecard as (
    select count(*) as mart_rows from {{ ref('rep_scorecard') }}
),

driver as (
    select
        (
            select count(*) from {{ ref('stg_crm__reps') }}
            where not is_deleted
        )
        * (
            select count(*) from {{ ref('int_periods_spined') }}
            where period_type = '{{ var("report_period") }}'
        ) as driver_rows
)

select
    scorecard.mart_rows,
    driver.driver_rows
from scorecard
cross join driver
where scorecard.mart_rows <> driver.driver_rows
