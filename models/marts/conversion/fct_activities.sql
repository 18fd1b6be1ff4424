{#- One row per staged activity (completed or not; soft-deleted ones kept and flagged): keys,
    channel, direction, the staging flags and the conversion-funnel flags. No PII. Incremental: a
    run rewrites only the report periods whose activities changed (macros/incremental.sql). -#}
{{ config(
    pre_hook="{{ delete_emptied_periods(ref('int_activities_classified'), ['period_start']) }}",
    **incremental_period_config()
) }}

{#- The columns kept as staged; the select adds period_type and a bigint call duration. Every
    stored column is fingerprinted: a period whose rows differ in any of them is rewritten. -#}
{% set staged_columns = [
    'source_system', 'activity_id', 'source_table', 'rep_id', 'account_id', 'contact_id', 'lead_id',
    'opportunity_id', 'account_resolved_via', 'activity_channel', 'direction', 'activity_at',
    'activity_date', 'period_start', 'booked_at', 'booked_date', 'booked_period_start',
    'counts_as_touch', 'is_completed', 'is_touch', 'is_conversation', 'is_canceled', 'is_no_show',
    'is_future_dated', 'is_date_only', 'is_deleted', 'is_lead_activity', 'is_counted_activity',
    'is_dial', 'is_connected_call', 'is_counted_conversation', 'is_meeting_booked',
    'is_meeting_held', 'is_meeting_no_show'
] %}
{% set fingerprint_columns = staged_columns + ['period_type', 'call_duration_seconds'] %}

with activities as (
    select * from {{ ref('int_activities_classified') }}
),

projected as (
    select
        {%- for column in staged_columns %}
            {{ column }},
        {%- endfor %}
        '{{ var("report_period") }}' as period_type,
        cast(call_duration_seconds as bigint) as call_duration_seconds
    from activities
),
{% if is_incremental() %}
current_row_hashes as (
    {{ period_row_hashes('projected', ['period_start'], fingerprint_columns) }}
),

current_fingerprints as (
    {{ period_fingerprints('current_row_hashes') }}
),

stored_row_hashes as (
    {{ period_row_hashes(this, ['period_start'], fingerprint_columns) }}
),

stored_fingerprints as (
    {{ period_fingerprints('stored_row_hashes') }}
),

touched_periods as (
    {{ touched_periods('current_fingerprints', 'stored_fingerprints') }}
),
{% endif %}
final as (
    select * from projected
    where {{ in_touched_periods('period_start') }}
)

select * from final
