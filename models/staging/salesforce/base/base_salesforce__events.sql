with source as (
    select * from {{ source('salesforce', 'event') }}
),

typed as (
    select
        id as event_id,
        owner_id,
        who_id,
        what_id,
        account_id,
        type as event_type,
        event_subtype,
        event_status_c as event_status,
        {{ parse_timestamp('start_date_time') }} as starts_at,
        {{ parse_timestamp('end_date_time') }} as ends_at,
        coalesce({{ parse_boolean('is_all_day_event') }}, false) as is_all_day_event,
        {{ parse_timestamp('created_date') }} as created_at,
        {{ salesforce_system_columns() }},
        {{ quarantine_columns([
            missing_value('id', 'missing_id'),
            missing_value('start_date_time'),
            unreadable_value('start_date_time', 'timestamp'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['event_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('event_id') }} as row_fate
from classified
