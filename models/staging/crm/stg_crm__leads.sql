with leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

hubspot_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

merged_records as (
    select * from {{ ref('stg_hubspot__merged_records') }}
),

salesforce_leads as (
    select
        'salesforce' as source_system,
        lead_id,
        owner_id as rep_id,
        lead_name,
        lead_email,
        lead_phone,
        company,
        title,
        industry,
        employee_count,
        country,
        lead_source,
        lead_status,
        is_converted,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        converted_date,
        created_at,
        is_deleted
    from leads
),

hubspot_leads as (
    {#- HubSpot has no lead object: a contact worked as a lead (it has a lead status) or without
        a company is a lead, converted once it has a company (the date is not in the export). Its
        engagements before conversion are lead activities, as on a Salesforce lead. -#}
    select
        'hubspot' as source_system,
        hubspot_contacts.contact_id as lead_id,
        hubspot_contacts.owner_id as rep_id,
        hubspot_contacts.contact_name as lead_name,
        hubspot_contacts.contact_email as lead_email,
        hubspot_contacts.contact_phone as lead_phone,
        cast(null as {{ dbt.type_string() }}) as company,
        hubspot_contacts.title,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as bigint) as employee_count,
        hubspot_contacts.country,
        hubspot_contacts.lead_source,
        coalesce(hubspot_contacts.lead_status, hubspot_contacts.lifecycle_stage) as lead_status,
        hubspot_contacts.company_id is not null as is_converted,
        coalesce(merged_companies.survivor_id, hubspot_contacts.company_id) as converted_account_id,
        case
            when hubspot_contacts.company_id is not null then hubspot_contacts.contact_id
        end as converted_contact_id,
        cast(null as {{ dbt.type_string() }}) as converted_opportunity_id,
        cast(null as date) as converted_date,
        hubspot_contacts.created_at,
        hubspot_contacts.is_deleted
    from hubspot_contacts
    left join merged_records as merged_companies
        on
            merged_companies.object_type = 'company'
            and hubspot_contacts.company_id = merged_companies.merged_id
    where hubspot_contacts.company_id is null or hubspot_contacts.lead_status is not null
),

crm_leads as (
    select * from salesforce_leads
    union all
    select * from hubspot_leads
),

final as (
    select
        *,
        {#- Inbound sources are named per CRM (Salesforce picklist, HubSpot analytics source). -#}
        coalesce(
            case source_system
                when 'hubspot'
                    then lower(lead_source) in {{ sql_list(var('hubspot_inbound_lead_sources')) }}
                else lower(lead_source) in {{ sql_list(var('inbound_lead_sources')) }}
            end,
            false
        ) as is_inbound
    from crm_leads
)

select * from final
