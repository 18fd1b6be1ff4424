with contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

hubspot_contacts_staged as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

merged_records as (
    select * from {{ ref('stg_hubspot__merged_records') }}
),

persona_rules as (
    select * from {{ ref('persona_rules') }}
),

salesforce_contacts as (
    select
        'salesforce' as source_system,
        contact_id,
        account_id,
        owner_id as rep_id,
        contact_name,
        contact_email,
        contact_phone,
        title,
        department,
        lead_source,
        mailing_country as country,
        created_at,
        is_deleted
    from contacts
),

hubspot_contacts as (
    {#- A contact's company may have been merged away: it resolves to the surviving company. -#}
    select
        'hubspot' as source_system,
        hubspot_contacts_staged.contact_id,
        coalesce(merged_companies.survivor_id, hubspot_contacts_staged.company_id) as account_id,
        hubspot_contacts_staged.owner_id as rep_id,
        hubspot_contacts_staged.contact_name,
        hubspot_contacts_staged.contact_email,
        hubspot_contacts_staged.contact_phone,
        hubspot_contacts_staged.title,
        hubspot_contacts_staged.department,
        hubspot_contacts_staged.lead_source,
        hubspot_contacts_staged.country,
        hubspot_contacts_staged.created_at,
        hubspot_contacts_staged.is_deleted
    from hubspot_contacts_staged
    left join merged_records as merged_companies
        on
            merged_companies.object_type = 'company'
            and hubspot_contacts_staged.company_id = merged_companies.merged_id
),

crm_contacts as (
    select * from salesforce_contacts
    union all
    select * from hubspot_contacts
),

titles as (
    {#- Personas are matched once per distinct title, not once per contact: a CRM has millions of
        contacts but few distinct titles, and the pattern join cannot use a hash join. -#}
    select distinct {{ persona_title('title') }} as padded_title
    from crm_contacts
),

title_personas as (
    {#- First persona rule (lowest priority number) whose pattern matches the padded title. -#}
    select
        titles.padded_title,
        persona_rules.persona,
        persona_rules.persona_function,
        persona_rules.seniority,
        row_number() over (
            partition by titles.padded_title
            order by persona_rules.priority
        ) as rule_rank
    from titles
    inner join persona_rules
        on titles.padded_title like persona_rules.title_pattern
),

final as (
    select
        crm_contacts.*,
        coalesce(title_personas.persona, 'Unknown') as persona,
        coalesce(title_personas.persona_function, 'other') as persona_function,
        coalesce(title_personas.seniority, 'unknown') as seniority
    from crm_contacts
    left join title_personas
        on
            {{ persona_title('crm_contacts.title') }} = title_personas.padded_title
            and title_personas.rule_rank = 1
)

select * from final
