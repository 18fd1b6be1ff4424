{#- No touch is lost or counted twice: per live account, the touches summed over its account_health
    rows equal the touches staging logged on it (is_touch), whatever period they fell in. An
    activity on several accounts (stg_crm__activity_accounts) is on each of them once. -#}
with activities as (
    select * from {{ ref('stg_crm__activities') }}
),

activity_accounts as (
    select * from {{ ref('stg_crm__activity_accounts') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

account_health as (
    select * from {{ ref('account_health') }}
),

staged_touches as (
    select
        activity_accounts.source_system,
        activity_accounts.account_id,
        count(*) as touch_count
    from activities
    inner join activity_accounts
        on
            activities.source_system = activity_accounts.source_system
            and activities.activity_id = activity_accounts.activity_id
    inner join accounts
        on
            activity_accounts.source_system = accounts.source_system
            and activity_accounts.account_id = accounts.account_id
    where activities.is_touch and not accounts.is_deleted
    group by
        activity_accounts.source_system,
        activity_accounts.account_id
),

mart_touches as (
    select
        source_system,
        account_id,
        sum(touch_count) as touch_count
    from account_health
    group by
        source_system,
        account_id
)

select
    coalesce(staged_touches.account_id, mart_touches.account_id) as account_id,
    staged_touches.touch_count as staged_touch_count,
    mart_touches.touch_count as mart_touch_count
from staged_touches
full outer join mart_touches
    on
        staged_touches.source_system = mart_touches.source_system
        and staged_touches.account_id = mart_touches.account_id
where coalesce(staged_touches.touch_count, 0) <> coalesce(mart_touches.touch_count, 0)
