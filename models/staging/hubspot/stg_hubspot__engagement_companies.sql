with base as (
    select * from {{ ref('base_hubspot__engagement_companies') }}
),

final as (
    select
        engagement_company_id,
        engagement_id,
        company_id,
        association_type_id,
        association_category,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
