with source as (
    select * from {{ source('salesforce', 'lead') }}
),

typed as (
    select
        id as lead_id,
        owner_id,
        coalesce(name, trim(concat_ws(' ', first_name, last_name))) as lead_name,
        email as lead_email,
        phone as lead_phone,
        company,
        title,
        industry,
        {{ parse_integer('number_of_employees') }} as employee_count,
        country,
        trim(lead_source) as lead_source,
        status as lead_status,
        coalesce({{ parse_boolean('is_converted') }}, false) as is_converted,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        {{ parse_date('converted_date') }} as converted_date,
        {{ parse_timestamp('created_date') }} as created_at,
        {{ salesforce_system_columns() }},
        {{ quarantine_columns([
            missing_value('id', 'missing_id'),
            missing_value('created_date'),
            unreadable_value('created_date', 'timestamp'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['lead_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('lead_id') }} as row_fate
from classified
