with base as (
    select * from {{ ref('base_hubspot__deal_stages') }}
),

final as (
    select
        deal_stage_id,
        deal_id,
        stage_id,
        entered_at,
        valid_to,
        is_current_version,
        change_source,
        changed_by,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
