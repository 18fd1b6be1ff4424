with source as (
    select * from {{ source('hubspot', 'engagement_task') }}
),

typed as (
    select
        {{ hubspot_engagement_detail_columns() }},
        upper(trim(property_hs_task_status)) as task_status,
        upper(trim(property_hs_task_type)) as task_type,
        {{ parse_hubspot_timestamp('property_hs_task_completion_date') }} as completed_at,
        {{ hubspot_engagement_detail_audit_columns(['property_hs_task_completion_date']) }}
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
