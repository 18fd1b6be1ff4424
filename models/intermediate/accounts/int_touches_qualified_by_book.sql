{#- One row per touch per live account it is on: whether its channel counts toward the threshold
    of the account's current owner's book, and the persona of the contact it reached. A touch is on
    its own account and, for a HubSpot engagement linked to several companies, on each of them once
    (stg_crm__activity_accounts); totals over activities never read this model.
    A table: the account × period aggregate (its fingerprint and its touched periods) and the
    trailing windows all read it, so its joins run once per build instead of once per reader. -#}
{{ config(materialized='table') }}
{% set channels = activity_channels() %}

with activities as (
    select * from {{ ref('stg_crm__activities') }}
),

activity_accounts as (
    select * from {{ ref('stg_crm__activity_accounts') }}
),

accounts as (
    select * from {{ ref('int_accounts_joined_to_books') }}
),

touches as (
    {#- is_touch already excludes deleted, internal, not completed, future-dated and lead
        activities, and activities on no known account. -#}
    select
        source_system,
        activity_id,
        account_id,
        contact_id,
        contact_persona,
        contact_persona_function,
        rep_id,
        activity_channel,
        activity_at,
        activity_date
    from activities
    where is_touch
    union all
    select
        activities.source_system,
        activities.activity_id,
        activity_accounts.account_id,
        activities.contact_id,
        activities.contact_persona,
        activities.contact_persona_function,
        activities.rep_id,
        activities.activity_channel,
        activities.activity_at,
        activities.activity_date
    from activities
    inner join activity_accounts
        on
            activities.source_system = activity_accounts.source_system
            and activities.activity_id = activity_accounts.activity_id
            and not activity_accounts.is_primary_account
    where activities.is_touch
),

final as (
    select
        touches.source_system,
        touches.activity_id,
        touches.account_id,
        touches.contact_id,
        touches.rep_id as logged_by_rep_id,
        touches.activity_channel,
        touches.activity_at,
        touches.activity_date,
        case touches.activity_channel
            {%- for channel in channels %}
                when '{{ channel }}' then accounts.includes_{{ channel }}
            {%- endfor %}
            else false
        end as is_qualifying,
        {#- A title that matched no persona rule is no persona (staging names it Unknown). -#}
        nullif(touches.contact_persona, 'Unknown') as persona,
        touches.contact_persona_function as persona_function
    from touches
    inner join accounts
        on
            touches.source_system = accounts.source_system
            and touches.account_id = accounts.account_id
)

select * from final
