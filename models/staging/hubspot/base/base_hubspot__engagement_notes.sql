with source as (
    select * from {{ source('hubspot', 'engagement_note') }}
),

typed as (
    select
        {{ hubspot_engagement_detail_columns() }},
        {{ hubspot_engagement_detail_audit_columns() }}
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
