with base as (
    select * from {{ ref('base_hubspot__engagement_emails') }}
),

final as (
    select
        engagement_id,
        occurred_at,
        owner_id,
        created_at,
        email_direction,
        email_status,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
