with base as (
    select * from {{ ref('base_hubspot__deal_pipeline_stages') }}
),

final as (
    select
        pipeline_stage_key,
        stage_id,
        pipeline_id,
        stage_label,
        display_order,
        probability,
        is_closed_won,
        is_active,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
