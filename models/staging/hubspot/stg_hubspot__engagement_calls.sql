with base as (
    select * from {{ ref('base_hubspot__engagement_calls') }}
),

final as (
    select
        engagement_id,
        occurred_at,
        owner_id,
        created_at,
        call_disposition,
        call_direction,
        call_status,
        call_duration_seconds,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
