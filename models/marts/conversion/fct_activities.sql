{#- One row per staged activity (completed or not; soft-deleted ones kept and flagged): keys,
    channel, direction, the staging flags and the conversion-funnel flags. No PII. -#}
with activities as (
    select * from {{ ref('int_activities_classified') }}
),

final as (
    select
        source_system,
        activity_id,
        source_table,
        rep_id,
        account_id,
        contact_id,
        lead_id,
        opportunity_id,
        account_resolved_via,
        activity_channel,
        direction,
        activity_at,
        activity_date,
        '{{ var("report_period") }}' as period_type,
        period_start,
        booked_at,
        booked_date,
        booked_period_start,
        cast(call_duration_seconds as bigint) as call_duration_seconds,
        counts_as_touch,
        is_completed,
        is_touch,
        is_conversation,
        is_canceled,
        is_no_show,
        is_future_dated,
        is_date_only,
        is_deleted,
        is_lead_activity,
        is_counted_activity,
        is_dial,
        is_connected_call,
        is_counted_conversation,
        is_meeting_booked,
        is_meeting_held,
        is_meeting_no_show
    from activities
)

select * from final
