with base as (
    select * from {{ ref('base_hubspot__deal_contacts') }}
),

final as (
    select
        deal_contact_id,
        deal_id,
        contact_id,
        association_type_id,
        association_category,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
