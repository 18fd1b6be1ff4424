with quotas as (
    select * from {{ ref('stg_salesforce__quotas') }}
),

final as (
    select
        'salesforce' as source_system,
        user_id as rep_id,
        period_start,
        period_type,
        quota_amount
    from quotas
)

select * from final
