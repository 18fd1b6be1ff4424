with base as (
    select * from {{ ref('base_salesforce__accounts') }}
),

final as (
    select
        account_id,
        owner_id,
        account_name,
        parent_account_id,
        account_type,
        industry,
        employee_count,
        annual_revenue,
        billing_country,
        billing_state,
        account_source,
        account_score,
        created_at,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
