{#- Per opportunity: exactly one current entry, it is the last one, and the entries are contiguous,
    so their days add up to the days from the first entry date to as_of_date. -#}
with intervals as (
    select * from {{ ref('fct_opportunity_stage_intervals') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

per_opportunity as (
    select
        intervals.opportunity_id,
        sum(case when intervals.is_current then 1 else 0 end) as current_entries,
        max(case when intervals.is_current then intervals.entry_number end) as current_entry_number,
        max(intervals.entry_number) as last_entry_number,
        sum(intervals.days_in_stage) as total_days,
        min(intervals.entered_date) as first_entered_date
    from intervals
    group by intervals.opportunity_id
)

select per_opportunity.*
from per_opportunity
cross join as_of
where
    per_opportunity.current_entries <> 1
    or per_opportunity.current_entry_number <> per_opportunity.last_entry_number
    or per_opportunity.total_days
    <> {{ dbt.datediff('per_opportunity.first_entered_date', 'as_of.as_of_date', 'day') }}
