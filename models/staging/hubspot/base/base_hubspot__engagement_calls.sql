with source as (
    select * from {{ source('hubspot', 'engagement_call') }}
),

typed as (
    select
        {{ hubspot_engagement_detail_columns() }},
        trim(property_hs_call_disposition) as call_disposition,
        lower(trim(property_hs_call_direction)) as call_direction,
        upper(trim(property_hs_call_status)) as call_status,
        cast(floor({{ parse_integer('property_hs_call_duration') }} / 1000.0) as bigint)
            as call_duration_seconds,
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
