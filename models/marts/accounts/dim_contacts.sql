{#- One row per contact with persona, function and seniority. No name, email or phone: BI marts
    carry no PII (they stay in stg_crm__contacts). -#}
with contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

final as (
    select
        contact_id,
        source_system,
        account_id,
        title,
        department,
        persona,
        persona_function,
        seniority,
        lead_source,
        country,
        is_deleted,
        created_at
    from contacts
)

select * from final
