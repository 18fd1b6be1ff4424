with base as (
    select * from {{ ref('base_hubspot__deals') }}
),

final as (
    select
        deal_id,
        pipeline_id,
        pipeline_stage_id,
        owner_id,
        amount,
        is_amount_invalid,
        close_date,
        created_at,
        deal_name,
        deal_type,
        lead_source,
        merged_object_ids,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
