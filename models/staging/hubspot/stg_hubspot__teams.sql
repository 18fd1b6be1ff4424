with base as (
    select * from {{ ref('base_hubspot__teams') }}
),

final as (
    select
        team_id,
        team_name,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
