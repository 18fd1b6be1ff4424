{{ config(materialized='table') }}

{#- MetricFlow's daily time spine: one row per day from the first report period to the later of the
    last report period's end and the latest opportunity close date (open deals close in the future).
    dbt.date_spine runs a query at compile time to count the days, so it is given constant bounds
    (every date this century) that compile on any target, lint's in-memory one included; the data
    range is then cut out of it. -#}

with

all_days as (
    {{ dbt.date_spine('day', "cast('2000-01-01' as date)", "cast('2100-01-01' as date)") }}
),

bound_dates as (
    select period_start as bound_date from {{ ref('dim_periods') }}
    union all
    select period_end as bound_date from {{ ref('dim_periods') }}
    union all
    select close_date as bound_date from {{ ref('dim_opportunities') }}
),

data_range as (
    select
        min(bound_date) as first_date,
        max(bound_date) as last_date
    from bound_dates
)

select cast(all_days.date_day as date) as date_day
from all_days
inner join data_range
    on
        all_days.date_day >= data_range.first_date
        and all_days.date_day <= data_range.last_date
