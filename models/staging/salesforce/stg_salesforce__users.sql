with base as (
    select * from {{ ref('base_salesforce__users') }}
),

final as (
    select
        user_id,
        user_name,
        user_email,
        user_role_id,
        manager_id,
        title,
        department,
        is_active,
        created_at,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
