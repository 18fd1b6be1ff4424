with base as (
    select * from {{ ref('base_salesforce__opportunities') }}
),

final as (
    select
        opportunity_id,
        account_id,
        owner_id,
        stage_name,
        amount,
        is_amount_invalid,
        close_date,
        created_at,
        opportunity_type,
        lead_source,
        is_closed,
        is_won,
        forecast_category,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
