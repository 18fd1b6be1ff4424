with source as (
    select * from {{ source('hubspot', 'engagement_contact') }}
),

typed as (
    select
        engagement_id || ':' || contact_id as engagement_contact_id,
        engagement_id,
        contact_id,
        type_id as association_type_id,
        category as association_category,
        {{ hubspot_system_columns('_fivetran_synced', []) }},
        {{ quarantine_columns([
            missing_value('engagement_id'),
            missing_value('contact_id'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['engagement_contact_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('engagement_contact_id') }} as row_fate
from classified
