{#- Written in any order: the rows carry no row number, and at 100M activities DuckDB's ordered
    write of this table buffered past its memory cap and filled the disk with spill files, while
    unordered it needs no spill (docs/benchmarks.md, Findings item 15). -#}
{{ config(
    pre_hook="{{ insertion_order(preserved=false) }}",
    post_hook="{{ insertion_order(preserved=true) }}",
) }}

with tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

events as (
    select * from {{ ref('stg_salesforce__events') }}
),

hubspot_activities as (
    select * from {{ ref('base_crm__hubspot_engagements') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

type_map as (
    select * from {{ ref('activity_type_map') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

salesforce_activities as (
    {#- Tasks: time is the completion time, else the due date (a calendar date, kept as is so no
        time zone can move it to another day). Events: the start time; booked when created. -#}
    select
        'salesforce' as source_system,
        'task' as source_table,
        task_id as activity_id,
        owner_id as rep_id,
        who_id,
        what_id,
        account_id as direct_account_id,
        task_type as activity_type,
        task_subtype as activity_subtype,
        task_status as activity_status,
        is_closed or coalesce(
            {{ normalize_label('task_status') }}
            in {{ sql_list(var('completed_task_statuses')) }},
            false
        ) as is_done,
        false as is_canceled,
        false as is_no_show,
        coalesce(completed_at, cast(due_date as timestamp)) as activity_at,
        coalesce({{ to_reporting_date('completed_at') }}, due_date) as activity_date,
        completed_at is null as is_date_only,
        cast(null as timestamp) as booked_at,
        lower(trim(call_type)) as call_type,
        call_disposition,
        call_duration_seconds,
        created_at,
        is_deleted
    from tasks
    union all
    select
        'salesforce' as source_system,
        'event' as source_table,
        event_id as activity_id,
        owner_id as rep_id,
        who_id,
        what_id,
        account_id as direct_account_id,
        event_type as activity_type,
        event_subtype as activity_subtype,
        event_status as activity_status,
        true as is_done,
        coalesce(
            {{ normalize_label('event_status') }}
            in {{ sql_list(var('canceled_event_statuses')) }},
            false
        ) as is_canceled,
        coalesce(
            {{ normalize_label('event_status') }}
            in {{ sql_list(var('no_show_event_statuses')) }},
            false
        ) as is_no_show,
        starts_at as activity_at,
        case
            when is_all_day_event then cast(starts_at as date)
            else {{ to_reporting_date('starts_at') }}
        end as activity_date,
        is_all_day_event as is_date_only,
        created_at as booked_at,
        cast(null as {{ dbt.type_string() }}) as call_type,
        cast(null as {{ dbt.type_string() }}) as call_disposition,
        cast(null as bigint) as call_duration_seconds,
        created_at,
        is_deleted
    from events
),

crm_activities as (
    select * from salesforce_activities
    union all
    select
        source_system,
        source_table,
        activity_id,
        rep_id,
        who_id,
        what_id,
        direct_account_id,
        activity_type,
        activity_subtype,
        activity_status,
        is_done,
        is_canceled,
        is_no_show,
        activity_at,
        activity_date,
        is_date_only,
        booked_at,
        call_type,
        call_disposition,
        call_duration_seconds,
        created_at,
        is_deleted
    from hubspot_activities
),

labels as (
    {#- Each distinct label is matched to the map once, not each activity: a few dozen labels
        against millions of activities (docs/benchmarks.md). A NULL label is keyed as the empty
        string: both normalize to NULL, so they share one key and no activity matches twice. -#}
    select distinct
        source_system,
        coalesce(activity_type, '') as type_key,
        coalesce(activity_subtype, '') as subtype_key
    from crm_activities
),

label_types as (
    {#- The type picklist wins when the map knows it; else the system subtype; a row with neither
        set is `(none)`. A type and subtype both unknown to the map is quarantined, naming them,
        so RevOps can add a row to the activity_type_map seed. -#}
    select
        labels.source_system,
        labels.type_key,
        labels.subtype_key,
        coalesce(by_type.activity_channel, by_subtype.activity_channel, by_none.activity_channel)
            as activity_channel,
        coalesce(by_type.direction, by_subtype.direction, by_none.direction) as default_direction,
        coalesce(by_type.counts_as_touch, by_subtype.counts_as_touch, by_none.counts_as_touch)
            as counts_as_touch,
        coalesce(by_type.conversation_rule, by_subtype.conversation_rule, by_none.conversation_rule)
            as conversation_rule
    from labels
    left join type_map as by_type
        on
            labels.source_system = by_type.source_system
            and {{ normalize_label('labels.type_key') }} = by_type.raw_type
    left join type_map as by_subtype
        on
            labels.source_system = by_subtype.source_system
            and {{ normalize_label('labels.subtype_key') }} = by_subtype.raw_type
    left join type_map as by_none
        on
            labels.source_system = by_none.source_system
            and by_none.raw_type = '(none)'
            and {{ normalize_label('labels.type_key') }} is null
            and {{ normalize_label('labels.subtype_key') }} is null
),

typed as (
    select
        activities.*,
        label_types.activity_channel,
        label_types.default_direction,
        label_types.counts_as_touch,
        label_types.conversation_rule
    from crm_activities as activities
    left join label_types
        on
            activities.source_system = label_types.source_system
            and coalesce(activities.activity_type, '') = label_types.type_key
            and coalesce(activities.activity_subtype, '') = label_types.subtype_key
),

resolved as (
    {#- Account of an activity (DOMAIN.md): its account, else its contact's, else its
        opportunity's, else its lead's converted account. Only keys that exist count. -#}
    select
        typed.*,
        contacts.contact_id,
        {#- Carried here, where every activity already meets its contact, so the touch models
            need no second join of every touch to the contacts (docs/benchmarks.md). -#}
        contacts.persona as contact_persona,
        contacts.persona_function as contact_persona_function,
        leads.lead_id,
        opportunities.opportunity_id,
        coalesce(
            direct_accounts.account_id,
            what_accounts.account_id,
            contact_accounts.account_id,
            opportunity_accounts.account_id,
            lead_accounts.account_id
        ) as account_id,
        case
            when direct_accounts.account_id is not null or what_accounts.account_id is not null
                then 'account'
            when contact_accounts.account_id is not null then 'contact'
            when opportunity_accounts.account_id is not null then 'opportunity'
            when lead_accounts.account_id is not null then 'lead'
        end as account_resolved_via
    from typed
    left join accounts as direct_accounts
        on
            typed.source_system = direct_accounts.source_system
            and typed.direct_account_id = direct_accounts.account_id
    {# Salesforce's what_id may be an account; HubSpot's is always a deal, and its ids are per
        object, so a deal id can equal some company's id. Each condition of these left joins
        names the joined side, so engines can hash-join: a condition on the left side alone
        made DuckDB compare every activity with every account. #}
    left join accounts as what_accounts
        on
            typed.source_system = what_accounts.source_system
            and what_accounts.source_system = 'salesforce'
            and typed.what_id = what_accounts.account_id
    left join contacts
        on
            typed.source_system = contacts.source_system
            and typed.who_id = contacts.contact_id
    left join accounts as contact_accounts
        on
            contacts.source_system = contact_accounts.source_system
            and contacts.account_id = contact_accounts.account_id
    left join opportunities
        on
            typed.source_system = opportunities.source_system
            and typed.what_id = opportunities.opportunity_id
    left join accounts as opportunity_accounts
        on
            opportunities.source_system = opportunity_accounts.source_system
            and opportunities.account_id = opportunity_accounts.account_id
    left join leads
        on
            typed.source_system = leads.source_system
            and typed.who_id = leads.lead_id
    left join accounts as lead_accounts
        on
            leads.source_system = lead_accounts.source_system
            and case when leads.is_converted then leads.converted_account_id end
            = lead_accounts.account_id
),

judged as (
    select
        resolved.*,
        as_of.as_of_date,
        resolved.activity_date > as_of.as_of_date as is_future_dated,
        {#- Done work on or before the as-of date; a meeting also must not be canceled or a no-show.
            A deleted activity never counts as effort, so it is never completed. -#}
        (
            resolved.is_done
            and not resolved.is_canceled
            and not resolved.is_no_show
            and not resolved.is_deleted
            and resolved.activity_date <= as_of.as_of_date
        ) as is_completed,
        case
            when
                resolved.activity_channel = 'call'
                and resolved.call_type in ('inbound', 'outbound', 'internal')
                then resolved.call_type
            else resolved.default_direction
        end as direction
    from resolved
    cross join as_of
),

final as (
    select
        judged.*,
        case judged.conversation_rule
            when 'always' then true
            when 'connected_call'
                then coalesce(
                    lower(
                        trim(judged.call_disposition)
                    ) in {{ sql_list(var('connected_call_dispositions')) }},
                    judged.call_duration_seconds >= {{ var('connected_call_min_seconds') }},
                    false
                )
            when 'held_meeting' then true
            when 'inbound_reply' then judged.direction = 'inbound'
            else false
        end
        {# A call between colleagues is not a conversation with the customer. #}
        and judged.is_completed
        and judged.direction <> 'internal' as is_conversation,
        (
            judged.counts_as_touch
            and judged.is_completed
            and judged.direction <> 'internal'
            and not judged.is_deleted
            and judged.account_id is not null
        ) as is_touch,
        judged.lead_id is not null and judged.account_id is null as is_lead_activity,
        case
            when judged.activity_channel is null then 'unknown_activity_type'
            when
                judged.account_id is null and judged.lead_id is null
                and coalesce(judged.direct_account_id, judged.who_id, judged.what_id) is not null
                then 'orphan_parent_keys'
            when judged.account_id is null and judged.lead_id is null then 'missing_parent_keys'
        end as quarantine_reason,
        case
            when judged.activity_channel is null
                then
                    'type = ' || coalesce(judged.activity_type, 'NULL')
                    || ', subtype = ' || coalesce(judged.activity_subtype, 'NULL')
            when judged.account_id is null and judged.lead_id is null
                then
                    'account_id = ' || coalesce(judged.direct_account_id, 'NULL')
                    || ', who_id = ' || coalesce(judged.who_id, 'NULL')
                    || ', what_id = ' || coalesce(judged.what_id, 'NULL')
        end as quarantine_detail
    from judged
)

select * from final
