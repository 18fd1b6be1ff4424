with source as (
    select * from {{ source('salesforce', 'task') }}
),

typed as (
    select
        id as task_id,
        owner_id,
        who_id,
        what_id,
        account_id,
        type as task_type,
        task_subtype,
        status as task_status,
        coalesce({{ parse_boolean('is_closed') }}, false) as is_closed,
        {{ parse_date('activity_date') }} as due_date,
        {{ parse_timestamp('completed_date_time') }} as completed_at,
        call_type,
        call_disposition,
        {{ parse_integer('call_duration_in_seconds') }} as call_duration_seconds,
        {{ parse_timestamp('created_date') }} as created_at,
        {{ salesforce_system_columns() }},
        {{ quarantine_columns([
            missing_value('id', 'missing_id'),
            unreadable_value('completed_date_time', 'timestamp'),
            unreadable_value('activity_date', 'date'),
            [
                "(completed_date_time is null and activity_date is null)",
                'missing_activity_time',
                "'neither completed_date_time nor activity_date is set'"
            ],
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['task_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('task_id') }} as row_fate
from classified
