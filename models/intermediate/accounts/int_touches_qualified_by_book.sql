{#- One row per touch on a live account: whether its channel counts toward the threshold of the
    account's current owner's book, and the persona of the contact it reached. -#}
{% set channels = activity_channels() %}

with activities as (
    select * from {{ ref('stg_crm__activities') }}
),

accounts as (
    select * from {{ ref('int_accounts_joined_to_books') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

touches as (
    {#- is_touch already excludes deleted, internal, not completed, future-dated and lead
        activities, and activities on no known account. -#}
    select
        source_system,
        activity_id,
        account_id,
        contact_id,
        rep_id,
        activity_channel,
        activity_at,
        activity_date
    from activities
    where is_touch
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
        nullif(contacts.persona, 'Unknown') as persona,
        contacts.persona_function
    from touches
    inner join accounts
        on
            touches.source_system = accounts.source_system
            and touches.account_id = accounts.account_id
    left join contacts
        on
            touches.source_system = contacts.source_system
            and touches.contact_id = contacts.contact_id
)

select * from final
