with source as (
    select * from {{ source('salesforce', 'opportunity') }}
),

typed as (
    select
        id as opportunity_id,
        account_id,
        owner_id,
        trim(stage_name) as stage_name,
        {#- A negative or unreadable amount is not pipeline: NULL, flagged, the deal still counts. -#}
        
        case when {{ parse_number('amount') }} >= 0 then {{ parse_number('amount') }} end as amount,
        (amount is not null and coalesce({{ parse_number('amount') }} < 0, true))
            as is_amount_invalid,
        {{ parse_date('close_date') }} as close_date,
        {{ parse_timestamp('created_date') }} as created_at,
        type as opportunity_type,
        trim(lead_source) as lead_source,
        {{ parse_boolean('is_closed') }} as is_closed,
        {{ parse_boolean('is_won') }} as is_won,
        forecast_category,
        {{ salesforce_system_columns() }},
        {{ quarantine_columns([
            missing_value('id', 'missing_id'),
            missing_value('created_date'),
            unreadable_value('created_date', 'timestamp'),
            unreadable_value('close_date', 'date'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['opportunity_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('opportunity_id') }} as row_fate
from classified
