{#- One row per opportunity open at as_of_date (open stage, not deleted), each stall reason a flag.
    Reasons in DOMAIN.md order: stalled_in_stage, no_recent_activity, past_close_date,
    close_date_pushed, single_threaded. -#}
{%- set no_recent_activity_days = var('no_recent_activity_days') | int %}
{%- set single_threaded_max_contacts = var('single_threaded_max_contacts') | int %}
{%- set medium_reasons = var('stalled_severity_medium_reasons') | int %}
{%- set high_reasons = var('stalled_severity_high_reasons') | int %}

with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

intervals as (
    select * from {{ ref('int_opportunity_stage_intervals') }}
),

close_date_changes as (
    select * from {{ ref('int_opportunities_close_date_changes') }}
),

touches as (
    select * from {{ ref('int_opportunities_touches_aggregated') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

stage_slas as (
    select * from {{ ref('stage_slas') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

open_opportunities as (
    select * from opportunities
    where is_open and not is_deleted
),

current_intervals as (
    select
        source_system,
        opportunity_id,
        days_in_stage
    from intervals
    where is_current
),

flagged as (
    select
        open_opportunities.opportunity_id,
        open_opportunities.source_system,
        open_opportunities.rep_id,
        open_opportunities.account_id,
        open_opportunities.stage_name,
        open_opportunities.stage_order,
        {#- An owner missing from the reps falls back to the default book, like stg_crm__reps. -#}
        coalesce(reps.segment, '{{ sql_text(var("default_segment")) }}') as owner_segment,
        open_opportunities.amount,
        open_opportunities.close_date,
        current_intervals.days_in_stage as days_in_current_stage,
        stage_slas.max_days_in_stage as stage_sla_days,
        touches.last_touch_date,
        touches.days_since_last_touch,
        coalesce(touches.contacts_engaged_in_multithreading_window, 0)
            as contacts_engaged_in_multithreading_window,
        coalesce(close_date_changes.close_date_push_count, 0) as close_date_push_count,
        coalesce(current_intervals.days_in_stage > stage_slas.max_days_in_stage, false)
            as is_stalled_in_stage,
        coalesce(touches.days_since_last_touch >= {{ no_recent_activity_days }}, true)
            as has_no_recent_activity,
        coalesce(open_opportunities.close_date < as_of.as_of_date, false) as is_past_close_date,
        coalesce(close_date_changes.close_date_push_count, 0) >= 1 as has_close_date_pushed,
        coalesce(touches.contacts_engaged_in_multithreading_window, 0)
        <= {{ single_threaded_max_contacts }} as is_single_threaded
    from open_opportunities
    cross join as_of
    left join current_intervals
        on
            open_opportunities.source_system = current_intervals.source_system
            and open_opportunities.opportunity_id = current_intervals.opportunity_id
    left join touches
        on
            open_opportunities.source_system = touches.source_system
            and open_opportunities.opportunity_id = touches.opportunity_id
    left join close_date_changes
        on
            open_opportunities.source_system = close_date_changes.source_system
            and open_opportunities.opportunity_id = close_date_changes.opportunity_id
    left join reps
        on
            open_opportunities.source_system = reps.source_system
            and open_opportunities.rep_id = reps.rep_id
    left join stage_slas
        on
            open_opportunities.source_system = stage_slas.source_system
            and coalesce(reps.segment, '{{ sql_text(var("default_segment")) }}')
            = stage_slas.segment
            and {{ match_key('open_opportunities.stage_name') }}
            = {{ match_key('stage_slas.stage_id') }}
),

reasons as (
    select
        flagged.*,
        (case when flagged.is_stalled_in_stage then 1 else 0 end)
        + (case when flagged.has_no_recent_activity then 1 else 0 end)
        + (case when flagged.is_past_close_date then 1 else 0 end)
        + (case when flagged.has_close_date_pushed then 1 else 0 end)
        + (case when flagged.is_single_threaded then 1 else 0 end) as stall_reason_count,
        {#- Each reason as ', <code>', the leading separator cut off below. -#}
        {{ dbt.concat([
            "case when flagged.is_stalled_in_stage then ', stalled_in_stage' else '' end",
            "case when flagged.has_no_recent_activity then ', no_recent_activity' else '' end",
            "case when flagged.is_past_close_date then ', past_close_date' else '' end",
            "case when flagged.has_close_date_pushed then ', close_date_pushed' else '' end",
            "case when flagged.is_single_threaded then ', single_threaded' else '' end",
        ]) }} as separated_reasons
    from flagged
),

final as (
    select
        opportunity_id,
        source_system,
        rep_id,
        account_id,
        stage_name,
        cast(stage_order as integer) as stage_order,
        owner_segment,
        cast(amount as decimal(18, 2)) as amount,
        close_date,
        cast(days_in_current_stage as bigint) as days_in_current_stage,
        cast(stage_sla_days as integer) as stage_sla_days,
        last_touch_date,
        cast(days_since_last_touch as bigint) as days_since_last_touch,
        cast(contacts_engaged_in_multithreading_window as bigint)
            as contacts_engaged_in_multithreading_window,
        cast(close_date_push_count as bigint) as close_date_push_count,
        is_stalled_in_stage,
        has_no_recent_activity,
        is_past_close_date,
        has_close_date_pushed,
        is_single_threaded,
        cast(stall_reason_count as bigint) as stall_reason_count,
        nullif(substring(separated_reasons, 3), '') as stall_reasons,
        stall_reason_count > 0 as is_stalled,
        case
            when stall_reason_count >= {{ high_reasons }} then 'high'
            when stall_reason_count >= {{ medium_reasons }} then 'medium'
            when stall_reason_count >= 1 then 'low'
            else 'none'
        end as stall_severity
    from reasons
)

select * from final
