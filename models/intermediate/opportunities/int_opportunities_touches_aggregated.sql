{#- One row per opportunity: the touches on the deal (activities with its opportunity_id) or on its
    account, up to as_of_date. Last touch and contacts are aggregated per account and per deal first
    and combined after, so an account's touches are never fanned out over its deals. The trailing
    window of var multithreading_window_days days ends on as_of_date and includes it: with 90, the
    90 calendar days as_of_date - 89 .. as_of_date. -#}
{%- set window_days = var('multithreading_window_days') | int %}

with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

activities as (
    select * from {{ ref('stg_crm__activities') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

touches as (
    {#- is_touch: completed on or before as_of_date, counts as a touch, not internal or deleted. -#}
    select
        activities.source_system,
        activities.account_id,
        activities.opportunity_id,
        activities.contact_id,
        activities.activity_date,
        activities.activity_date
        >= cast({{ dbt.dateadd('day', -(window_days - 1), 'as_of.as_of_date') }} as date)
            as is_in_multithreading_window
    from activities
    cross join as_of
    where activities.is_touch
),

account_last_touches as (
    select
        source_system,
        account_id,
        max(activity_date) as last_touch_date
    from touches
    group by source_system, account_id
),

deal_last_touches as (
    select
        source_system,
        opportunity_id,
        max(activity_date) as last_touch_date
    from touches
    where opportunity_id is not null
    group by source_system, opportunity_id
),

account_window_contacts as (
    select distinct
        source_system,
        account_id,
        contact_id
    from touches
    where is_in_multithreading_window and contact_id is not null
),

deal_window_contacts as (
    select distinct
        source_system,
        opportunity_id,
        contact_id
    from touches
    where
        is_in_multithreading_window
        and contact_id is not null
        and opportunity_id is not null
),

opportunity_window_contacts as (
    {#- A contact reached on the deal and on its account is one contact: counted distinct below. -#}
    select
        opportunities.source_system,
        opportunities.opportunity_id,
        account_window_contacts.contact_id
    from opportunities
    inner join account_window_contacts
        on
            opportunities.source_system = account_window_contacts.source_system
            and opportunities.account_id = account_window_contacts.account_id
    union all
    select
        source_system,
        opportunity_id,
        contact_id
    from deal_window_contacts
),

contacts_engaged as (
    select
        source_system,
        opportunity_id,
        count(distinct contact_id) as contacts_engaged
    from opportunity_window_contacts
    group by source_system, opportunity_id
),

final as (
    select
        opportunities.source_system,
        opportunities.opportunity_id,
        greatest(account_last_touches.last_touch_date, deal_last_touches.last_touch_date)
            as last_touch_date,
        {{ dbt.datediff(
            'greatest(account_last_touches.last_touch_date, deal_last_touches.last_touch_date)',
            'as_of.as_of_date',
            'day'
        ) }} as days_since_last_touch,
        cast(coalesce(contacts_engaged.contacts_engaged, 0) as bigint)
            as contacts_engaged_in_multithreading_window
    from opportunities
    cross join as_of
    left join account_last_touches
        on
            opportunities.source_system = account_last_touches.source_system
            and opportunities.account_id = account_last_touches.account_id
    left join deal_last_touches
        on
            opportunities.source_system = deal_last_touches.source_system
            and opportunities.opportunity_id = deal_last_touches.opportunity_id
    left join contacts_engaged
        on
            opportunities.source_system = contacts_engaged.source_system
            and opportunities.opportunity_id = contacts_engaged.opportunity_id
)

select * from final
