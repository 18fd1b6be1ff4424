with activities as (
    select * from {{ ref('base_crm__activities') }}
),

final as (
    select
        source_system,
        source_table,
        activity_id,
        rep_id,
        account_id,
        account_resolved_via,
        contact_id,
        contact_persona,
        contact_persona_function,
        lead_id,
        opportunity_id,
        is_lead_activity,
        activity_type,
        activity_subtype,
        activity_status,
        activity_channel,
        direction,
        counts_as_touch,
        conversation_rule,
        is_completed,
        is_touch,
        is_conversation,
        is_canceled,
        is_no_show,
        is_future_dated,
        activity_at,
        activity_date,
        is_date_only,
        booked_at,
        {{ to_reporting_date('booked_at') }} as booked_date,
        call_disposition,
        call_duration_seconds,
        created_at,
        is_deleted
    from activities
    where quarantine_reason is null
)

select * from final
