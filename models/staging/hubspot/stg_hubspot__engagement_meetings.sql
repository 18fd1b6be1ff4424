with base as (
    select * from {{ ref('base_hubspot__engagement_meetings') }}
),

final as (
    select
        engagement_id,
        occurred_at,
        owner_id,
        created_at,
        starts_at,
        ends_at,
        meeting_outcome,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
