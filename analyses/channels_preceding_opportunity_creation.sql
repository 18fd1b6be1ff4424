{#- What moves deals: which activity channels and sequences preceded opportunity creation and wins,
    per company, team and rep (the opportunity owner and the owner's manager).

    Read it as correlation, not cause. The touches counted are the ones attributed to each
    opportunity (touches on its account within var `attribution_lookback_days` days before
    creation), so:
    - only accounts that produced an opportunity are here: the same channel mix on accounts that
      never converted is not, so a channel that is simply used most looks like it "works";
    - reps choose channels by situation (a warm account gets a meeting, a cold one an email), so
      the channel and the outcome share causes this table cannot see;
    - logging habits differ by rep and channel (calls and meetings are logged more reliably than
      LinkedIn messages), and an opportunity with no touch in the window may still have had
      unlogged ones;
    - win rates here are by count over closed opportunities of the cohort; open deals are left out.
    To test a channel's effect, compare like accounts (same segment, score and owner) or run an
    experiment. -#}
{%- set no_touch_label = 'no_touch_in_window' %}

with attributed as (
    select * from {{ ref('int_activities_attributed_to_opportunities') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_qualified') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

first_and_last as (
    select
        source_system,
        opportunity_id,
        max(case when touch_number = 1 then activity_channel end) as first_channel,
        max(case when reverse_touch_number = 1 then activity_channel end) as last_channel,
        count(*) as touches,
        {%- for channel in activity_channels() %}
            sum(case when activity_channel = '{{ channel }}' then 1 else 0 end)
                as {{ channel }}_touches,
        {%- endfor %}
        count(distinct activity_channel) as channels_used
    from attributed
    group by source_system, opportunity_id
),

distinct_channels as (
    select distinct
        source_system,
        opportunity_id,
        activity_channel
    from attributed
),

channel_mixes as (
    select
        source_system,
        opportunity_id,
        {{ dbt.listagg('activity_channel', "' + '", 'order by activity_channel') }} as channel_mix
    from distinct_channels
    group by source_system, opportunity_id
),

opportunity_paths as (
    select
        opportunities.opportunity_id,
        opportunities.rep_id,
        reps.manager_id,
        reps.manager_name,
        opportunities.created_period_start,
        opportunities.is_qualified,
        opportunities.is_won,
        opportunities.is_lost,
        opportunities.won_amount,
        coalesce(first_and_last.first_channel, '{{ no_touch_label }}') as first_channel,
        coalesce(first_and_last.last_channel, '{{ no_touch_label }}') as last_channel,
        coalesce(channel_mixes.channel_mix, '{{ no_touch_label }}') as channel_mix,
        coalesce(first_and_last.touches, 0) as touches,
        coalesce(first_and_last.call_touches, 0) as call_touches,
        coalesce(first_and_last.email_touches, 0) as email_touches,
        coalesce(first_and_last.meeting_touches, 0) as meeting_touches,
        coalesce(first_and_last.linkedin_touches, 0) as linkedin_touches,
        coalesce(first_and_last.sms_touches, 0) as sms_touches,
        coalesce(first_and_last.other_touches, 0) as other_touches
    from opportunities
    left join first_and_last
        on
            opportunities.source_system = first_and_last.source_system
            and opportunities.opportunity_id = first_and_last.opportunity_id
    left join channel_mixes
        on
            opportunities.source_system = channel_mixes.source_system
            and opportunities.opportunity_id = channel_mixes.opportunity_id
    left join reps
        on
            opportunities.source_system = reps.source_system
            and opportunities.rep_id = reps.rep_id
),

grouped as (
    {%- set levels = [
        ('company', "'company'", "'company'"),
        ('team', "coalesce(manager_id, 'no_team')", "coalesce(manager_name, 'no_team')"),
        ('rep', "rep_id", "rep_id"),
    ] %}
    {%- for level, key, name in levels %}
        select
            '{{ level }}' as grouping_level,
            {{ key }} as group_key,
            {{ name }} as group_name,
            first_channel,
            last_channel,
            channel_mix,
            count(*) as opportunities,
            sum(case when is_qualified then 1 else 0 end) as qualified,
            sum(case when is_won then 1 else 0 end) as won,
            sum(case when is_won or is_lost then 1 else 0 end) as closed,
            sum(won_amount) as won_amount,
            avg(touches) as avg_touches_before_creation,
            avg(call_touches) as avg_call_touches,
            avg(email_touches) as avg_email_touches,
            avg(meeting_touches) as avg_meeting_touches,
            avg(linkedin_touches) as avg_linkedin_touches,
            avg(sms_touches) as avg_sms_touches,
            avg(other_touches) as avg_other_touches
        from opportunity_paths
        group by {{ key }}, {{ name }}, first_channel, last_channel, channel_mix
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        grouped.*,
        cast(grouped.qualified as double precision) / nullif(grouped.opportunities, 0)
            as qualified_per_opportunity,
        cast(grouped.won as double precision) / nullif(grouped.closed, 0)
            as won_per_closed_opportunity
    from grouped
)

select * from final
order by
    grouping_level asc,
    group_key asc,
    opportunities desc,
    first_channel asc,
    last_channel asc,
    channel_mix asc
