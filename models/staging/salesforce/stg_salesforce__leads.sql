with base as (
    select * from {{ ref('base_salesforce__leads') }}
),

final as (
    select
        lead_id,
        owner_id,
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
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
