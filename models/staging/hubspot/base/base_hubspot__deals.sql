with source as (
    select * from {{ source('hubspot', 'deal') }}
),

typed as (
    select
        deal_id,
        deal_pipeline_id as pipeline_id,
        trim(deal_pipeline_stage_id) as pipeline_stage_id,
        coalesce(owner_id, property_hubspot_owner_id) as owner_id,
        {#- A negative or unreadable amount is not pipeline: NULL, flagged, the deal still counts. -#}
        case
            when {{ parse_number('property_amount') }} >= 0
                then {{ parse_number('property_amount') }}
        end as amount,
        (property_amount is not null and coalesce({{ parse_number('property_amount') }} < 0, true))
            as is_amount_invalid,
        cast({{ parse_hubspot_timestamp('property_closedate') }} as date) as close_date,
        {{ parse_hubspot_timestamp('property_createdate') }} as created_at,
        property_dealname as deal_name,
        property_dealtype as deal_type,
        property_hs_analytics_source as lead_source,
        property_hs_merged_object_ids as merged_object_ids,
        {{ hubspot_system_columns('property_hs_lastmodifieddate') }},
        {{ quarantine_columns([
            missing_value('deal_id', 'missing_id'),
            missing_value('property_createdate'),
            unreadable_hubspot_timestamp('property_createdate'),
            unreadable_hubspot_timestamp('property_closedate'),
        ]) }}
    from source
),

classified as (
    {#- A record merged into another is a duplicate of its survivor, never a second record. -#}
    {{ hubspot_merge_classified('typed', 'deal_id') }}
)

select
    *,
    {{ hubspot_merged_row_fate('deal_id') }} as row_fate
from classified
