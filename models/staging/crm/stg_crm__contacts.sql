with contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
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

personas as (
    {#- First persona rule (lowest priority number) whose pattern matches the padded title. -#}
    select
        salesforce_contacts.contact_id,
        persona_rules.persona,
        persona_rules.persona_function,
        persona_rules.seniority,
        row_number() over (
            partition by salesforce_contacts.contact_id
            order by persona_rules.priority
        ) as rule_rank
    from salesforce_contacts
    inner join persona_rules
        on {{ persona_title('salesforce_contacts.title') }} like persona_rules.title_pattern
),

final as (
    select
        salesforce_contacts.*,
        coalesce(personas.persona, 'Unknown') as persona,
        coalesce(personas.persona_function, 'other') as persona_function,
        coalesce(personas.seniority, 'unknown') as seniority
    from salesforce_contacts
    left join personas
        on
            salesforce_contacts.contact_id = personas.contact_id
            and personas.rule_rank = 1
)

select * from final
