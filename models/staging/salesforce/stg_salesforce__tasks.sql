with base as (
    select * from {{ ref('base_salesforce__tasks') }}
),

final as (
    select
        task_id,
        owner_id,
        who_id,
        what_id,
        account_id,
        task_type,
        task_subtype,
        task_status,
        is_closed,
        due_date,
        completed_at,
        call_type,
        call_disposition,
        call_duration_seconds,
        created_at,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
