with base as (
    select * from {{ ref('base_salesforce__user_roles') }}
),

final as (
    select
        user_role_id,
        role_name,
        parent_role_id,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
