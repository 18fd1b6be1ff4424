with base as (
    select * from {{ ref('base_salesforce__quotas') }}
),

final as (
    select
        user_id,
        period_start,
        period_type,
        quota_amount
    from base
    where row_fate = 'staged'
)

select * from final
