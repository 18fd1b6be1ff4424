with source as (
    select * from {{ source('hubspot', 'company') }}
),

typed as (
    select
        id as company_id,
        property_hubspot_owner_id as owner_id,
        property_name as company_name,
        property_domain as company_domain,
        property_type as company_type,
        property_lifecyclestage as lifecycle_stage,
        property_industry as industry,
        {{ parse_integer('property_numberofemployees') }} as employee_count,
        {{ parse_number('property_annualrevenue') }} as annual_revenue,
        property_country as country,
        property_state as state,
        property_hs_parent_company_id as parent_company_id,
        {#- A score outside 0-100 is not a score: NULL, like a portal without the property. -#}
        case
            when {{ parse_number('property_account_score') }} between 0 and 100
                then {{ parse_number('property_account_score') }}
        end as account_score,
        property_hs_analytics_source as analytics_source,
        {{ parse_hubspot_timestamp('property_createdate') }} as created_at,
        property_hs_merged_object_ids as merged_object_ids,
        {{ hubspot_system_columns('property_hs_lastmodifieddate') }},
        {{ quarantine_columns([
            missing_value('id', 'missing_id'),
            unreadable_hubspot_timestamp('property_createdate'),
        ]) }}
    from source
),

classified as (
    {#- A record merged into another is a duplicate of its survivor, never a second record. -#}
    {{ hubspot_merge_classified('typed', 'company_id') }}
)

select
    *,
    {{ hubspot_merged_row_fate('company_id') }} as row_fate
from classified
