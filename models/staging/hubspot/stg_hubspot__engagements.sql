with base as (
    select * from {{ ref('base_hubspot__engagements') }}
),

final as (
    select
        engagement_id,
        engagement_type,
        owner_id,
        occurred_at,
        created_at,
        is_archived,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
