with base as (
    select * from {{ ref('base_salesforce__opportunity_history') }}
),

final as (
    select
        opportunity_history_id,
        opportunity_id,
        stage_name,
        amount,
        close_date,
        changed_at,
        changed_by_user_id,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
