with source as (
    select * from {{ source('hubspot', 'engagement') }}
),

typed as (
    select
        id as engagement_id,
        upper(trim(type)) as engagement_type,
        owner_id,
        {{ parse_hubspot_timestamp('"timestamp"') }} as occurred_at,
        {{ parse_hubspot_timestamp('created_at') }} as created_at,
        {#- An archived engagement (active = false) is a deleted one. -#}
        coalesce({{ parse_boolean('active') }}, true) = false as is_archived,
        {{ hubspot_system_columns('last_updated', ['_fivetran_deleted']) }},
        {{ quarantine_columns([
            missing_value('id', 'missing_id'),
            missing_value('type'),
            unreadable_hubspot_timestamp('"timestamp"'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['engagement_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('engagement_id') }} as row_fate
from classified
