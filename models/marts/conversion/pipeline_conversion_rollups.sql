{#- One row per roll-up level (team, segment, company) × key × report period × channel. Activity
    counts are sums of pipeline_conversion; opportunity counts are distinct opportunities per
    roll-up key (an opportunity credited to two reps of one team counts once for the team); every
    ratio is recomputed from the summed counts, never averaged. -#}
{%- set no_team_key = 'no_team' %}

with rep_rows as (
    select * from {{ ref('pipeline_conversion') }}
),

credits as (
    select * from {{ ref('int_opportunities_credited_to_reps') }}
),

rep_levels as (
    select
        'team' as rollup_level,
        coalesce(rep_rows.manager_id, '{{ no_team_key }}') as rollup_key,
        coalesce(rep_rows.manager_name, '{{ no_team_key }}') as rollup_name,
        rep_rows.*
    from rep_rows
    union all
    select
        'segment' as rollup_level,
        rep_rows.segment as rollup_key,
        rep_rows.segment as rollup_name,
        rep_rows.*
    from rep_rows
    union all
    select
        'company' as rollup_level,
        'company' as rollup_key,
        'company' as rollup_name,
        rep_rows.*
    from rep_rows
),

activity_sums as (
    select
        rollup_level,
        rollup_key,
        rollup_name,
        period_type,
        period_start,
        period_end,
        channel,
        count(distinct rep_id) as reps,
        sum(activities) as activities,
        sum(dials) as dials,
        sum(connected_calls) as connected_calls,
        sum(conversations) as conversations,
        sum(meetings_booked) as meetings_booked,
        sum(meetings_held) as meetings_held,
        sum(no_shows) as no_shows
    from rep_levels
    group by
        rollup_level,
        rollup_key,
        rollup_name,
        period_type,
        period_start,
        period_end,
        channel
),

credit_levels as (
    {#- `distinct` is the point: one row per opportunity per roll-up key and channel, however
        many of the key's reps were credited with it. -#}
    select distinct
        'team' as rollup_level,
        coalesce(manager_id, '{{ no_team_key }}') as rollup_key,
        channel,
        created_period_start,
        source_system,
        opportunity_id,
        is_qualified,
        is_won,
        won_amount
    from credits
    union all
    select distinct
        'segment' as rollup_level,
        segment as rollup_key,
        channel,
        created_period_start,
        source_system,
        opportunity_id,
        is_qualified,
        is_won,
        won_amount
    from credits
    union all
    select distinct
        'company' as rollup_level,
        'company' as rollup_key,
        channel,
        created_period_start,
        source_system,
        opportunity_id,
        is_qualified,
        is_won,
        won_amount
    from credits
),

opportunity_cohorts as (
    select
        rollup_level,
        rollup_key,
        channel,
        created_period_start as period_start,
        count(*) as opportunities_created,
        sum(case when is_qualified then 1 else 0 end) as opportunities_qualified,
        sum(case when is_won then 1 else 0 end) as opportunities_won,
        sum(won_amount) as won_amount
    from credit_levels
    group by rollup_level, rollup_key, channel, created_period_start
),

counted as (
    select
        activity_sums.rollup_level,
        activity_sums.rollup_key,
        activity_sums.rollup_name,
        activity_sums.period_type,
        activity_sums.period_start,
        activity_sums.period_end,
        activity_sums.channel,
        cast(activity_sums.reps as bigint) as reps,
        cast(activity_sums.activities as bigint) as activities,
        cast(activity_sums.dials as bigint) as dials,
        cast(activity_sums.connected_calls as bigint) as connected_calls,
        cast(activity_sums.conversations as bigint) as conversations,
        cast(activity_sums.meetings_booked as bigint) as meetings_booked,
        cast(activity_sums.meetings_held as bigint) as meetings_held,
        cast(activity_sums.no_shows as bigint) as no_shows,
        cast(coalesce(opportunity_cohorts.opportunities_created, 0) as bigint)
            as opportunities_created,
        cast(coalesce(opportunity_cohorts.opportunities_qualified, 0) as bigint)
            as opportunities_qualified,
        cast(coalesce(opportunity_cohorts.opportunities_won, 0) as bigint) as opportunities_won,
        cast(coalesce(opportunity_cohorts.won_amount, 0) as decimal(18, 2)) as won_amount
    from activity_sums
    left join opportunity_cohorts
        on
            activity_sums.rollup_level = opportunity_cohorts.rollup_level
            and activity_sums.rollup_key = opportunity_cohorts.rollup_key
            and activity_sums.channel = opportunity_cohorts.channel
            and activity_sums.period_start = opportunity_cohorts.period_start
),

final as (
    select
        counted.*,
        {{ conversion_ratios('counted') }}
    from counted
)

select * from final
