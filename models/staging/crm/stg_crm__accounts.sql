with accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

companies as (
    select * from {{ ref('stg_hubspot__companies') }}
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

hubspot_accounts as (
    select
        'hubspot' as source_system,
        company_id as account_id,
        owner_id as rep_id,
        company_name as account_name,
        parent_company_id as parent_account_id,
        company_type as account_type,
        industry,
        employee_count,
        annual_revenue,
        country,
        state,
        analytics_source as account_source,
        account_score,
        created_at,
        is_deleted
    from companies
),

crm_accounts as (
    select * from salesforce_accounts
    union all
    select * from hubspot_accounts
),

final as (
    select
        crm_accounts.*,
        {#- An owner that is not a known user is kept as given but named, so books can be fixed. -#}
        (crm_accounts.rep_id is not null and reps.rep_id is null) as is_owner_unknown
    from crm_accounts
    left join reps
        on
            crm_accounts.source_system = reps.source_system
            and crm_accounts.rep_id = reps.rep_id
)

select * from final
