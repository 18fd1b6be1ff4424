{#- One row per live account × report period (every row of int_accounts_spined_to_periods): the
    last touch on or before the period's measured_on_date, days since it, and multi-threading over
    the trailing var multithreading_window_days ending on that date. "Within N days" means the
    touch is at most N days before the date (a touch exactly N days before is still inside). -#}
{% set untouched_days = var('untouched_days') %}
{% set window_days = var('multithreading_window_days') %}

with account_periods as (
    select * from {{ ref('int_accounts_spined_to_periods') }}
),

account_periods_touched as (
    select * from {{ ref('int_touches_aggregated_to_account_periods') }}
),

touches as (
    select * from {{ ref('int_touches_qualified_by_book') }}
),

last_touches as (
    {#- Every touch is on or before the as-of date, so the latest touch up to a period's
        measured_on_date is the latest touch of that period or any earlier one. -#}
    select
        account_periods.source_system,
        account_periods.account_id,
        account_periods.period_start,
        account_periods.measured_on_date,
        max(account_periods_touched.last_touch_at) over (
            partition by account_periods.source_system, account_periods.account_id
            order by account_periods.period_start
            rows between unbounded preceding and current row
        ) as last_touch_at,
        max(account_periods_touched.last_touch_date) over (
            partition by account_periods.source_system, account_periods.account_id
            order by account_periods.period_start
            rows between unbounded preceding and current row
        ) as last_touch_date
    from account_periods
    left join account_periods_touched
        on
            account_periods.source_system = account_periods_touched.source_system
            and account_periods.account_id = account_periods_touched.account_id
            and account_periods.period_start = account_periods_touched.period_start
),

contact_days as (
    {#- Multi-threading counts distinct contacts, never activity rows: one row per contact and day
        keeps the window join small. Every touch counts here, whatever its channel. -#}
    select distinct
        source_system,
        account_id,
        contact_id,
        activity_date,
        persona,
        persona_function
    from touches
    where contact_id is not null
),

window_bounds as (
    select
        source_system,
        account_id,
        period_start,
        measured_on_date,
        cast(
            {{ dbt.dateadd('day', -1 * window_days, 'measured_on_date') }} as date
        ) as window_start_date
    from account_periods
),

window_contacts as (
    select
        window_bounds.source_system,
        window_bounds.account_id,
        window_bounds.period_start,
        contact_days.contact_id,
        contact_days.persona,
        contact_days.persona_function
    from window_bounds
    inner join contact_days
        on
            window_bounds.source_system = contact_days.source_system
            and window_bounds.account_id = contact_days.account_id
            and contact_days.activity_date
            between window_bounds.window_start_date and window_bounds.measured_on_date
),

window_counts as (
    select
        source_system,
        account_id,
        period_start,
        cast(count(distinct contact_id) as bigint) as contacts_engaged_in_window,
        cast(count(distinct persona) as bigint) as personas_engaged_in_window,
        max(case when persona_function = 'marketing' then 1 else 0 end) = 1
        and max(case when persona_function = 'sales' then 1 else 0 end) = 1
            as has_marketing_and_sales_persona
    from window_contacts
    group by
        source_system,
        account_id,
        period_start
),

recency as (
    select
        last_touches.*,
        cast(
            {{ dbt.datediff('last_touch_date', 'measured_on_date', 'day') }}
            as integer
        ) as days_since_last_touch
    from last_touches
),

final as (
    select
        recency.source_system,
        recency.account_id,
        recency.period_start,
        recency.last_touch_at,
        recency.last_touch_date,
        recency.days_since_last_touch,
        coalesce(recency.days_since_last_touch > {{ untouched_days }}, true)
            as is_untouched_in_window,
        coalesce(window_counts.contacts_engaged_in_window, 0)
            as contacts_engaged_in_window,
        coalesce(window_counts.personas_engaged_in_window, 0)
            as personas_engaged_in_window,
        coalesce(window_counts.has_marketing_and_sales_persona, false)
            as has_marketing_and_sales_persona
    from recency
    left join window_counts
        on
            recency.source_system = window_counts.source_system
            and recency.account_id = window_counts.account_id
            and recency.period_start = window_counts.period_start
)

select * from final
