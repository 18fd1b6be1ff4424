with base as (
    select * from {{ ref('base_hubspot__team_users') }}
),

final as (
    select
        team_user_id,
        team_id,
        user_id,
        is_secondary_user,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
