with base as (
    select * from {{ ref('base_hubspot__owners') }}
),

final as (
    select
        owner_id,
        user_id,
        owner_email,
        first_name,
        last_name,
        owner_type,
        is_active,
        created_at,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
