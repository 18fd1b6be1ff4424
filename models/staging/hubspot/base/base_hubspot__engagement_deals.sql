with source as (
    select * from {{ source('hubspot', 'engagement_deal') }}
),

typed as (
    select
        engagement_id || ':' || deal_id as engagement_deal_id,
        engagement_id,
        deal_id,
        type_id as association_type_id,
        category as association_category,
        {{ hubspot_system_columns('_fivetran_synced', []) }},
        {{ quarantine_columns([
            missing_value('engagement_id'),
            missing_value('deal_id'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['engagement_deal_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('engagement_deal_id') }} as row_fate
from classified
