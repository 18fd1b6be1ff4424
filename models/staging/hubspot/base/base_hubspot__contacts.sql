with source as (
    select * from {{ source('hubspot', 'contact') }}
),

typed as (
    select
        id as contact_id,
        property_associatedcompanyid as company_id,
        property_hubspot_owner_id as owner_id,
        concat_ws(' ', property_firstname, property_lastname) as contact_name,
        property_email as contact_email,
        property_phone as contact_phone,
        property_jobtitle as title,
        property_hs_role as department,
        property_hs_analytics_source as lead_source,
        property_lifecyclestage as lifecycle_stage,
        upper(trim(property_hs_lead_status)) as lead_status,
        property_country as country,
        {{ parse_hubspot_timestamp('property_createdate') }} as created_at,
        property_hs_merged_object_ids as merged_object_ids,
        {{ hubspot_system_columns('property_lastmodifieddate') }},
        {{ quarantine_columns([
            missing_value('id', 'missing_id'),
            unreadable_hubspot_timestamp('property_createdate'),
        ]) }}
    from source
),

classified as (
    {#- A record merged into another is a duplicate of its survivor, never a second record. -#}
    {{ hubspot_merge_classified('typed', 'contact_id') }}
)

select
    *,
    {{ hubspot_merged_row_fate('contact_id') }} as row_fate
from classified
