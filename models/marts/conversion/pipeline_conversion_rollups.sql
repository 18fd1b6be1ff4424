{#- One row per roll-up level (team, segment, company) × key × report period × channel. Activity
    counts are sums of pipeline_conversion; opportunity counts are distinct opportunities per
    roll-up key (an opportunity credited to two reps of one team counts once for the team); every
    ratio is recomputed from the summed counts, never averaged. -#}
{%- set no_team_key = 'no_team' %}
{#- Each level's key and display name over pipeline_conversion / credit columns. -#}
{%- set rollup_levels = [
    {'level': 'team', 'key': "coalesce(manager_id, '" ~ no_team_key ~ "')",
     'name': "coalesce(manager_name, '" ~ no_team_key ~ "')"},
    {'level': 'segment', 'key': 'segment', 'name': 'segment'},
    {'level': 'company', 'key': "'company'", 'name': "'company'"},
] %}

with rep_rows as (
    select * from {{ ref('pipeline_conversion') }}
),

credits as (
    select * from {{ ref('int_opportunities_credited_to_reps') }}
),

rep_levels as (
    {%- for level in rollup_levels %}
        select
            '{{ level.level }}' as rollup_level,
            {{ level.key }} as rollup_key,
            {{ level.name }} as rollup_name,
            rep_rows.*
        from rep_rows
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
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
        cast(count(distinct rep_id) as bigint) as reps,
        {{ funnel_count_sums() }}
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
    {%- for level in rollup_levels %}
        select distinct
            '{{ level.level }}' as rollup_level,
            {{ level.key }} as rollup_key,
            channel,
            created_period_start,
            source_system,
            opportunity_id,
            is_qualified,
            is_won,
            won_amount
        from credits
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
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
        activity_sums.reps,
        {%- for count in funnel_counts() %}
            activity_sums.{{ count }},
        {%- endfor %}
        {{ opportunity_cohort_columns('opportunity_cohorts') }}
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
