with leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

final as (
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
        coalesce(lower(lead_source) in {{ sql_list(var('inbound_lead_sources')) }}, false)
            as is_inbound,
        lead_status,
        is_converted,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        converted_date,
        created_at,
        is_deleted
    from leads
)

select * from final
