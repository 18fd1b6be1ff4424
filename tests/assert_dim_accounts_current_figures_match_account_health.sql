{#- Every live account with an account_health row has that current-period row in dim_accounts: its
    current health is set and equals the mart's. -#}
with dim_accounts as (
    select * from {{ ref('dim_accounts') }}
),

current_health as (
    select * from {{ ref('account_health') }}
    where is_current_period
)

select
    current_health.account_id,
    current_health.health_status,
    dim_accounts.current_period_health_status
from current_health
left join dim_accounts
    on current_health.account_id = dim_accounts.account_id
where
    dim_accounts.account_id is null
    or dim_accounts.current_period_health_status is null
    or dim_accounts.current_period_health_status <> current_health.health_status
