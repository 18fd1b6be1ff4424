with source as (
    select * from {{ source('salesforce', 'user') }}
),

typed as (
    select
        id as user_id,
        name as user_name,
        email as user_email,
        user_role_id,
        manager_id,
        title,
        department,
        coalesce({{ parse_boolean('is_active') }}, true) as is_active,
        {{ parse_timestamp('created_date') }} as created_at,
        {{ salesforce_system_columns(['_fivetran_deleted']) }},
        {{ quarantine_columns([missing_value('id', 'missing_id')]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['user_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('user_id') }} as row_fate
from classified
