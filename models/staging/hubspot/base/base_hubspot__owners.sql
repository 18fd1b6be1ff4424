with source as (
    select * from {{ source('hubspot', 'owner') }}
),

typed as (
    select
        owner_id,
        user_id,
        email as owner_email,
        first_name,
        last_name,
        upper(trim(type)) as owner_type,
        coalesce({{ parse_boolean('is_active') }}, true) as is_active,
        {{ parse_hubspot_timestamp('created_at') }} as created_at,
        {{ hubspot_system_columns('updated_at', ['_fivetran_deleted']) }},
        {{ quarantine_columns([
            missing_value('owner_id', 'missing_id'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['owner_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('owner_id') }} as row_fate
from classified
