with base as (
    select * from {{ ref('base_hubspot__deal_pipelines') }}
),

final as (
    select
        pipeline_id,
        pipeline_label,
        display_order,
        is_active,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
