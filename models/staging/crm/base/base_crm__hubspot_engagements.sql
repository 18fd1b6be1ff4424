{#- One row per staged HubSpot engagement in the shape base_crm__activities unions: the engagement
    joined to its detail row, and its primary company, contact and deal. An engagement can be linked
    to several companies, contacts and deals; the activity carries one of each (the lowest id after
    merges resolve) so totals count it once; base_crm__activity_accounts keeps every company. -#}
with engagements as (
    select * from {{ ref('stg_hubspot__engagements') }}
),

calls as (
    select * from {{ ref('stg_hubspot__engagement_calls') }}
),

emails as (
    select * from {{ ref('stg_hubspot__engagement_emails') }}
),

meetings as (
    select * from {{ ref('stg_hubspot__engagement_meetings') }}
),

notes as (
    select * from {{ ref('stg_hubspot__engagement_notes') }}
),

tasks as (
    select * from {{ ref('stg_hubspot__engagement_tasks') }}
),

communications as (
    select * from {{ ref('stg_hubspot__engagement_communications') }}
),

engagement_companies as (
    select * from {{ ref('stg_hubspot__engagement_companies') }}
),

engagement_contacts as (
    select * from {{ ref('stg_hubspot__engagement_contacts') }}
),

engagement_deals as (
    select * from {{ ref('stg_hubspot__engagement_deals') }}
),

merged_records as (
    select * from {{ ref('stg_hubspot__merged_records') }}
),

details as (
    {#- The per-type detail of each engagement, in one shape, tagged with the engagement type
        it belongs to. -#}
    {{ hubspot_engagement_details(
        [
            ('CALL', 'calls', {
                'call_disposition': hubspot_call_disposition_label('call_disposition'),
                'call_direction': 'call_direction',
                'call_duration_seconds': 'call_duration_seconds',
            }),
            ('EMAIL', 'emails', {'detail_type': 'email_direction', 'detail_status': 'email_status'}),
            ('MEETING', 'meetings', {'detail_status': 'meeting_outcome', 'starts_at': 'starts_at'}),
            ('NOTE', 'notes', {}),
            ('TASK', 'tasks', {
                'detail_type': 'task_type', 'detail_status': 'task_status', 'completed_at': 'completed_at',
            }),
            ('COMMUNICATION', 'communications', {'detail_type': 'channel_type'}),
        ],
        {
            'detail_type': dbt.type_string(),
            'detail_status': dbt.type_string(),
            'starts_at': 'timestamp',
            'completed_at': 'timestamp',
            'call_disposition': dbt.type_string(),
            'call_direction': dbt.type_string(),
            'call_duration_seconds': 'bigint',
        },
    ) }}
),

primary_companies as (
    {{ hubspot_primary_association('engagement_companies', 'company') }}
),

primary_contacts as (
    {{ hubspot_primary_association('engagement_contacts', 'contact') }}
),

primary_deals as (
    {{ hubspot_primary_association('engagement_deals', 'deal') }}
),

joined as (
    select
        engagements.engagement_id,
        engagements.engagement_type,
        details.detail_type,
        details.detail_status,
        coalesce(details.owner_id, engagements.owner_id) as owner_id,
        coalesce(details.occurred_at, engagements.occurred_at) as occurred_at,
        coalesce(details.created_at, engagements.created_at) as created_at,
        details.starts_at,
        details.completed_at,
        details.call_disposition,
        details.call_direction,
        details.call_duration_seconds,
        {#- Archived (active = false) or deleted, on the engagement or its detail. -#}
        (
            engagements.is_deleted
            or engagements.is_archived
            or coalesce(details.is_deleted, false)
        ) as is_deleted,
        primary_companies.company_id,
        primary_contacts.contact_id,
        primary_deals.deal_id
    from engagements
    left join details
        on
            engagements.engagement_id = details.engagement_id
            {# A detail row only describes an engagement of its own kind (emails: all directions). #}
            and details.detail_kind = case
                when engagements.engagement_type in ('INCOMING_EMAIL', 'FORWARDED_EMAIL')
                    then 'EMAIL'
                else engagements.engagement_type
            end
    left join primary_companies
        on engagements.engagement_id = primary_companies.engagement_id
    left join primary_contacts
        on engagements.engagement_id = primary_contacts.engagement_id
    left join primary_deals
        on engagements.engagement_id = primary_deals.engagement_id
),

final as (
    {#- Type: emails by direction (EMAIL, INCOMING_EMAIL, FORWARDED_EMAIL) and communications by
        channel (LINKEDIN_MESSAGE, SMS, WHATS_APP) so the activity_type_map seed maps them; the
        detail's status says whether it was done (tasks), sent (emails), canceled or a no-show
        (meetings, calls). -#}
    select
        'hubspot' as source_system,
        'engagement' as source_table,
        engagement_id as activity_id,
        owner_id as rep_id,
        contact_id as who_id,
        deal_id as what_id,
        company_id as direct_account_id,
        case
            when engagement_type in ('EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL', 'COMMUNICATION')
                then coalesce(detail_type, engagement_type)
            else engagement_type
        end as activity_type,
        detail_type as activity_subtype,
        detail_status as activity_status,
        case
            when engagement_type = 'TASK'
                then
                    coalesce(
                        {{ hubspot_label('detail_status') }}
                        in {{ sql_list(var('completed_task_statuses')) }},
                        false
                    )
            when engagement_type in ('EMAIL', 'FORWARDED_EMAIL')
                then
                    coalesce(
                        {{ hubspot_label('detail_status') }}
                        in {{ sql_list(var('hubspot_sent_email_statuses')) }},
                        detail_status is null
                    )
            else true
        end as is_done,
        coalesce(
            {{ hubspot_label('detail_status') }} in {{ sql_list(var('canceled_event_statuses')) }},
            false
        ) as is_canceled,
        coalesce(
            {{ hubspot_label('detail_status') }} in {{ sql_list(var('no_show_event_statuses')) }},
            false
        ) as is_no_show,
        coalesce(completed_at, starts_at, occurred_at) as activity_at,
        {{ to_reporting_date('coalesce(completed_at, starts_at, occurred_at)') }} as activity_date,
        false as is_date_only,
        case when engagement_type = 'MEETING' then created_at end as booked_at,
        call_direction as call_type,
        call_disposition,
        call_duration_seconds,
        created_at,
        is_deleted
    from joined
)

select * from final
