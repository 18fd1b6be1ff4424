{#- One row per opportunity (soft-deleted ones kept and flagged), with what its stage history says:
    qualified or not and when, when it closed, how often its close date was pushed. -#}
with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

intervals as (
    select * from {{ ref('int_opportunity_stage_intervals') }}
),

close_date_changes as (
    select * from {{ ref('int_opportunities_close_date_changes') }}
),

stage_history as (
    select
        source_system,
        opportunity_id,
        min(case when is_stage_qualified then entered_at end) as entered_qualified_at,
        count(*) as stage_entry_count
    from intervals
    group by source_system, opportunity_id
),

current_intervals as (
    select
        source_system,
        opportunity_id,
        entered_at,
        entry_source,
        days_in_stage
    from intervals
    where is_current
),

final as (
    select
        opportunities.opportunity_id,
        opportunities.source_system,
        opportunities.account_id,
        opportunities.rep_id,
        opportunities.stage_name,
        cast(opportunities.stage_order as integer) as stage_order,
        opportunities.is_stage_known,
        opportunities.is_open,
        opportunities.is_won,
        opportunities.is_lost,
        cast(opportunities.amount as decimal(18, 2)) as amount,
        opportunities.is_amount_invalid,
        opportunities.close_date,
        opportunities.created_at,
        opportunities.opportunity_type,
        opportunities.lead_source,
        opportunities.forecast_category,
        stage_history.entered_qualified_at is not null as is_qualified,
        stage_history.entered_qualified_at,
        current_intervals.entered_at as current_stage_entered_at,
        cast(current_intervals.days_in_stage as bigint) as days_in_current_stage,
        cast(stage_history.stage_entry_count as bigint) as stage_entry_count,
        {#- Known only when a history row records the move into the closed stage. -#}
        case
            when not opportunities.is_open and current_intervals.entry_source = 'history'
                then current_intervals.entered_at
        end as closed_at,
        close_date_changes.first_close_date,
        cast(close_date_changes.close_date_push_count as bigint) as close_date_push_count,
        cast(close_date_changes.close_date_pull_in_count as bigint) as close_date_pull_in_count,
        opportunities.is_deleted
    from opportunities
    left join stage_history
        on
            opportunities.source_system = stage_history.source_system
            and opportunities.opportunity_id = stage_history.opportunity_id
    left join current_intervals
        on
            opportunities.source_system = current_intervals.source_system
            and opportunities.opportunity_id = current_intervals.opportunity_id
    left join close_date_changes
        on
            opportunities.source_system = close_date_changes.source_system
            and opportunities.opportunity_id = close_date_changes.opportunity_id
)

select * from final
