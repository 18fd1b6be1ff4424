with base as (
    select * from {{ ref('base_hubspot__engagement_communications') }}
),

final as (
    select
        engagement_id,
        occurred_at,
        owner_id,
        created_at,
        channel_type,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
