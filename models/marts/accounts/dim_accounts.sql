{#- One row per account (deleted ones kept and flagged): firmographics, current owner and book,
    and the as-of figures of its current-period row in account_health (never recomputed here). -#}

with accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

books as (
    select * from {{ ref('int_accounts_joined_to_books') }}
),

account_health as (
    select * from {{ ref('account_health') }}
),

current_health as (
    select * from account_health
    where is_current_period
),

final as (
    select
        accounts.account_id,
        accounts.source_system,
        accounts.account_name,
        accounts.parent_account_id,
        accounts.account_type,
        accounts.industry,
        accounts.employee_count,
        accounts.annual_revenue,
        accounts.country,
        accounts.state,
        accounts.account_source,
        accounts.account_score,
        accounts.created_at,
        accounts.is_deleted,
        accounts.rep_id,
        (accounts.rep_id is null or accounts.is_owner_unknown) as is_owner_missing,
        books.rep_role,
        books.segment,
        books.account_capacity,
        books.is_role_defaulted,
        current_health.period_start as current_period_start,
        current_health.measured_on_date,
        current_health.health_status as current_period_health_status,
        current_health.touch_count as current_period_touch_count,
        current_health.last_touch_at,
        current_health.last_touch_date,
        current_health.days_since_last_touch,
        current_health.is_untouched_in_window,
        current_health.contacts_engaged_in_window,
        current_health.personas_engaged_in_window,
        current_health.has_marketing_and_sales_persona,
        current_health.is_nurture_candidate,
        current_health.is_priority_gap
    from accounts
    left join books
        on
            accounts.source_system = books.source_system
            and accounts.account_id = books.account_id
    left join current_health
        on
            accounts.source_system = current_health.source_system
            and accounts.account_id = current_health.account_id
)

select * from final
