with base as (
    select * from {{ ref('base_hubspot__engagement_contacts') }}
),

final as (
    select
        engagement_contact_id,
        engagement_id,
        contact_id,
        association_type_id,
        association_category,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
