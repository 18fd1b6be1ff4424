with base as (
    select * from {{ ref('base_hubspot__companies') }}
),

final as (
    select
        company_id,
        owner_id,
        company_name,
        company_domain,
        company_type,
        lifecycle_stage,
        industry,
        employee_count,
        annual_revenue,
        country,
        state,
        parent_company_id,
        account_score,
        analytics_source,
        created_at,
        merged_object_ids,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
