{#- One row per inbound lead (lead source in var `inbound_lead_sources`, not deleted, created on
    or before the as-of date) with its first outbound touch at or after creation: a completed,
    not deleted, outbound activity whose type counts as a touch, logged on the lead itself or on
    the contact the lead converted into. An activity known only by a date (no time of day) cannot
    be timed to the minute: it never sets the first touch time, but a lead touched only that way
    (on or after its creation date) is `touched_without_time`, not `no_touch_yet`. -#}
{%- set sla_minutes = var('speed_to_lead_sla_minutes') | sort %}

with leads as (
    select * from {{ ref('stg_crm__leads') }}
),

activities as (
    select * from {{ ref('stg_crm__activities') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

inbound_leads as (
    select
        leads.*,
        {{ to_reporting_date('leads.created_at') }} as created_date
    from leads
    cross join as_of
    where
        leads.is_inbound
        and not leads.is_deleted
        and {{ to_reporting_date('leads.created_at') }} <= as_of.as_of_date
),

outbound_touches as (
    select * from activities
    where
        is_completed
        and not is_deleted
        and direction = 'outbound'
        and counts_as_touch
),

lead_touches as (
    {#- The lead's own activities and those on the contact it converted into. -#}
    select
        inbound_leads.source_system,
        inbound_leads.lead_id,
        inbound_leads.created_at,
        inbound_leads.created_date,
        'lead' as touched_via,
        outbound_touches.activity_id,
        outbound_touches.activity_at,
        outbound_touches.activity_date,
        outbound_touches.is_date_only,
        outbound_touches.activity_channel,
        outbound_touches.rep_id
    from inbound_leads
    inner join outbound_touches
        on
            inbound_leads.source_system = outbound_touches.source_system
            and inbound_leads.lead_id = outbound_touches.lead_id
    union all
    select
        inbound_leads.source_system,
        inbound_leads.lead_id,
        inbound_leads.created_at,
        inbound_leads.created_date,
        'converted_contact' as touched_via,
        outbound_touches.activity_id,
        outbound_touches.activity_at,
        outbound_touches.activity_date,
        outbound_touches.is_date_only,
        outbound_touches.activity_channel,
        outbound_touches.rep_id
    from inbound_leads
    inner join outbound_touches
        on
            inbound_leads.source_system = outbound_touches.source_system
            and inbound_leads.converted_contact_id = outbound_touches.contact_id
),

ranked_touches as (
    {#- Timed touches at or after the creation instant, earliest first (the lead's own
        activity wins a tie). -#}
    select
        lead_touches.*,
        row_number() over (
            partition by lead_touches.source_system, lead_touches.lead_id
            order by
                lead_touches.activity_at,
                case lead_touches.touched_via when 'lead' then 0 else 1 end,
                lead_touches.activity_id
        ) as touch_rank
    from lead_touches
    where
        not lead_touches.is_date_only
        and lead_touches.activity_at >= lead_touches.created_at
),

first_touches as (
    select * from ranked_touches
    where touch_rank = 1
),

untimed_touches as (
    select distinct
        source_system,
        lead_id
    from lead_touches
    where is_date_only and activity_date >= created_date
),

timed as (
    select
        inbound_leads.source_system,
        inbound_leads.lead_id,
        inbound_leads.rep_id,
        reps.manager_id,
        inbound_leads.lead_source,
        inbound_leads.created_at,
        inbound_leads.created_date,
        {{ period_start('inbound_leads.created_date') }} as created_period_start,
        first_touches.activity_at as first_outbound_touch_at,
        first_touches.activity_id as first_touch_activity_id,
        first_touches.activity_channel as first_touch_channel,
        first_touches.rep_id as first_touch_rep_id,
        first_touches.touched_via as first_touch_via,
        untimed_touches.lead_id is not null as has_untimed_touch,
        cast(
            {{ dbt.datediff('inbound_leads.created_at', 'first_touches.activity_at', 'second') }}
            as {{ type_double() }}
        ) / 60 as minutes_to_first_touch
    from inbound_leads
    left join first_touches
        on
            inbound_leads.source_system = first_touches.source_system
            and inbound_leads.lead_id = first_touches.lead_id
    left join untimed_touches
        on
            inbound_leads.source_system = untimed_touches.source_system
            and inbound_leads.lead_id = untimed_touches.lead_id
    left join reps
        on
            inbound_leads.source_system = reps.source_system
            and inbound_leads.rep_id = reps.rep_id
),

final as (
    select
        timed.source_system,
        timed.lead_id,
        timed.rep_id,
        timed.manager_id,
        timed.lead_source,
        timed.created_at,
        timed.created_date,
        timed.created_period_start,
        timed.first_outbound_touch_at,
        timed.first_touch_activity_id,
        timed.first_touch_channel,
        timed.first_touch_rep_id,
        timed.first_touch_via,
        timed.minutes_to_first_touch,
        case
            {%- for minutes in sla_minutes %}
                when timed.minutes_to_first_touch <= {{ minutes }} then 'within_{{ minutes }}_min'
            {%- endfor %}
            when timed.minutes_to_first_touch is not null then 'over_{{ sla_minutes | last }}_min'
            when timed.has_untimed_touch then 'touched_without_time'
            else 'no_touch_yet'
        end as sla_band,
        coalesce(timed.minutes_to_first_touch <= {{ sla_minutes | first }}, false)
            as is_within_first_sla,
        timed.first_outbound_touch_at is not null or timed.has_untimed_touch as is_touched
    from timed
)

select * from final
