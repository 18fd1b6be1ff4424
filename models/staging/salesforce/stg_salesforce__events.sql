with base as (
    select * from {{ ref('base_salesforce__events') }}
),

final as (
    select
        event_id,
        owner_id,
        who_id,
        what_id,
        account_id,
        event_type,
        event_subtype,
        event_status,
        starts_at,
        ends_at,
        is_all_day_event,
        created_at,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
