with source as (
    select * from {{ source('hubspot', 'engagement_company') }}
),

typed as (
    select
        engagement_id || ':' || company_id as engagement_company_id,
        engagement_id,
        company_id,
        type_id as association_type_id,
        category as association_category,
        {{ hubspot_system_columns('_fivetran_synced', []) }},
        {{ quarantine_columns([
            missing_value('engagement_id'),
            missing_value('company_id'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['engagement_company_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('engagement_company_id') }} as row_fate
from classified
