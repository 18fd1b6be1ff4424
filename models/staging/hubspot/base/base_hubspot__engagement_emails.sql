with source as (
    select * from {{ source('hubspot', 'engagement_email') }}
),

typed as (
    select
        {{ hubspot_engagement_detail_columns() }},
        upper(trim(property_hs_email_direction)) as email_direction,
        upper(trim(property_hs_email_status)) as email_status,
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
