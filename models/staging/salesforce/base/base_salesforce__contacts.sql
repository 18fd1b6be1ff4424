with source as (
    select * from {{ source('salesforce', 'contact') }}
),

typed as (
    select
        id as contact_id,
        account_id,
        owner_id,
        coalesce(name, trim(concat_ws(' ', first_name, last_name))) as contact_name,
        email as contact_email,
        phone as contact_phone,
        title,
        department,
        lead_source,
        mailing_country,
        {{ parse_timestamp('created_date') }} as created_at,
        {{ salesforce_system_columns() }},
        {{ quarantine_columns([missing_value('id', 'missing_id')]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['contact_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('contact_id') }} as row_fate
from classified
