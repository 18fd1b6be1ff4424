{#- One row per opportunity × stage entry, with the deal's account and current owner. -#}
with intervals as (
    select * from {{ ref('int_opportunity_stage_intervals') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

final as (
    select
        {{ dbt.concat([
            'intervals.opportunity_id',
            "'-'",
            dbt.cast('intervals.entry_number', dbt.type_string())
        ]) }} as opportunity_stage_interval_id,
        intervals.opportunity_id,
        intervals.source_system,
        opportunities.account_id,
        opportunities.rep_id,
        cast(intervals.entry_number as bigint) as entry_number,
        intervals.stage_name,
        cast(intervals.stage_order as integer) as stage_order,
        intervals.is_stage_known,
        intervals.is_open_stage,
        intervals.is_won_stage,
        intervals.is_lost_stage,
        intervals.is_stage_qualified,
        intervals.entered_at,
        intervals.exited_at,
        intervals.entered_date,
        intervals.exited_date,
        cast(intervals.days_in_stage as bigint) as days_in_stage,
        cast(intervals.cumulative_days_in_stage as bigint) as cumulative_days_in_stage,
        cast(intervals.stage_entry_number as bigint) as stage_entry_number,
        intervals.is_regression,
        intervals.is_skip,
        intervals.is_current,
        intervals.entry_source,
        intervals.stage_change_id,
        opportunities.is_deleted as is_opportunity_deleted
    from intervals
    inner join opportunities
        on
            intervals.source_system = opportunities.source_system
            and intervals.opportunity_id = opportunities.opportunity_id
)

select * from final
