with source as (
    select * from {{ source('salesforce', 'opportunity_history') }}
),

typed as (
    select
        id as opportunity_history_id,
        opportunity_id,
        trim(stage_name) as stage_name,
        case when {{ parse_number('amount') }} >= 0 then {{ parse_number('amount') }} end as amount,
        {{ parse_date('close_date') }} as close_date,
        {{ parse_timestamp('created_date') }} as changed_at,
        created_by_id as changed_by_user_id,
        {{ salesforce_system_columns() }},
        {{ quarantine_columns([
            missing_value('id', 'missing_id'),
            missing_value('opportunity_id'),
            missing_value('stage_name'),
            missing_value('created_date'),
            unreadable_value('created_date', 'timestamp'),
            unreadable_value('close_date', 'date'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['opportunity_history_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('opportunity_history_id') }} as row_fate
from classified
