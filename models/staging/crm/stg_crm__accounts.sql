with accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

salesforce_accounts as (
    select
        'salesforce' as source_system,
        account_id,
        owner_id as rep_id,
        account_name,
        parent_account_id,
        account_type,
        industry,
        employee_count,
        annual_revenue,
        billing_country as country,
        billing_state as state,
        account_source,
        account_score,
        created_at,
        is_deleted
    from accounts
),

final as (
    select
        salesforce_accounts.*,
        {#- An owner that is not a known user is kept as given but named, so books can be fixed. -#}
        (salesforce_accounts.rep_id is not null and reps.rep_id is null) as is_owner_unknown
    from salesforce_accounts
    left join reps
        on salesforce_accounts.rep_id = reps.rep_id
)

select * from final
