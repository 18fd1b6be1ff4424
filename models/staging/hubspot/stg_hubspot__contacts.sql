with base as (
    select * from {{ ref('base_hubspot__contacts') }}
),

final as (
    select
        contact_id,
        company_id,
        owner_id,
        contact_name,
        contact_email,
        contact_phone,
        title,
        department,
        lead_source,
        lifecycle_stage,
        lead_status,
        country,
        created_at,
        merged_object_ids,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
