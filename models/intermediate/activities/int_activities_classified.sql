{#- One row per staged activity with the funnel flags every conversion model counts with, so that
    "a dial", "a meeting held" or "a meeting booked" is defined in exactly one place. Effort counts
    only completed, not deleted, not internal activities (DOMAIN.md "Activity"). -#}
with activities as (
    select * from {{ ref('stg_crm__activities') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

counted as (
    select
        activities.*,
        {{ period_start('activities.activity_date') }} as period_start,
        {{ period_start('activities.booked_date') }} as booked_period_start,
        (
            activities.is_completed
            and not activities.is_deleted
            and activities.direction <> 'internal'
        ) as is_counted_activity,
        (
            activities.activity_channel = 'meeting'
            and activities.booked_at is not null
            and not activities.is_deleted
            and activities.direction <> 'internal'
            and activities.booked_date <= as_of.as_of_date
        ) as is_meeting_booked,
        (
            activities.activity_channel = 'meeting'
            and activities.is_no_show
            and not activities.is_deleted
            and not activities.is_future_dated
            and activities.direction <> 'internal'
        ) as is_meeting_no_show
    from activities
    cross join as_of
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
        is_lead_activity,
        activity_channel,
        direction,
        counts_as_touch,
        is_completed,
        is_touch,
        is_conversation,
        is_canceled,
        is_no_show,
        is_future_dated,
        is_date_only,
        is_deleted,
        is_counted_activity,
        is_counted_activity and activity_channel = 'call' and direction = 'outbound' as is_dial,
        (
            is_counted_activity
            and activity_channel = 'call'
            and direction = 'outbound'
            and is_conversation
        ) as is_connected_call,
        is_counted_activity and is_conversation as is_counted_conversation,
        is_meeting_booked,
        is_counted_activity and activity_channel = 'meeting' as is_meeting_held,
        is_meeting_no_show,
        activity_at,
        activity_date,
        period_start,
        booked_at,
        booked_date,
        booked_period_start,
        call_duration_seconds
    from counted
)

select * from final
