with source as (
    select * from {{ source('hubspot', 'engagement_meeting') }}
),

typed as (
    select
        {{ hubspot_engagement_detail_columns() }},
        {{ parse_hubspot_timestamp('property_hs_meeting_start_time') }} as starts_at,
        {{ parse_hubspot_timestamp('property_hs_meeting_end_time') }} as ends_at,
        upper(trim(property_hs_meeting_outcome)) as meeting_outcome,
        {{ hubspot_engagement_detail_audit_columns(['property_hs_meeting_start_time']) }}
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
