with changes as (
    select * from {{ ref('base_crm__opportunity_stage_changes') }}
),

final as (
    select
        source_system,
        source_table,
        stage_change_id,
        opportunity_id,
        stage_name,
        stage_order,
        is_stage_known,
        is_open,
        is_won,
        is_lost,
        is_stage_qualified,
        amount,
        close_date,
        changed_at,
        changed_by_user_id,
        is_deleted
    from changes
    where quarantine_reason is null
)

select * from final
