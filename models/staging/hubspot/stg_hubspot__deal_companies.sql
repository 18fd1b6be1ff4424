with base as (
    select * from {{ ref('base_hubspot__deal_companies') }}
),

final as (
    select
        deal_company_id,
        deal_id,
        company_id,
        association_type_id,
        association_category,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
