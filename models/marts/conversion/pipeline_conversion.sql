{#- One row per rep × report period × channel (`all` and each activity channel): the activity →
    pipeline funnel with step ratios named by what they divide. Opportunity counts are a cohort:
    the opportunities created in the period that the rep's touches (of that channel) are
    attributed to, and how many of those are qualified / won as of the as-of date. -#}
with rep_periods as (
    select * from {{ ref('int_activities_aggregated_to_rep_periods') }}
),

credits as (
    select * from {{ ref('int_opportunities_credited_to_reps') }}
),

opportunity_cohorts as (
    select
        rep_id,
        created_period_start as period_start,
        channel,
        count(*) as opportunities_created,
        sum(case when is_qualified then 1 else 0 end) as opportunities_qualified,
        sum(case when is_won then 1 else 0 end) as opportunities_won,
        sum(won_amount) as won_amount
    from credits
    group by rep_id, created_period_start, channel
),

counted as (
    select
        rep_periods.rep_id,
        rep_periods.period_type,
        rep_periods.period_start,
        rep_periods.period_end,
        rep_periods.channel,
        rep_periods.rep_role,
        rep_periods.segment,
        rep_periods.manager_id,
        rep_periods.manager_name,
        {%- for count in funnel_counts() %}
            rep_periods.{{ count }},
        {%- endfor %}
        {{ opportunity_cohort_columns('opportunity_cohorts') }}
    from rep_periods
    left join opportunity_cohorts
        on
            rep_periods.rep_id = opportunity_cohorts.rep_id
            and rep_periods.period_start = opportunity_cohorts.period_start
            and rep_periods.channel = opportunity_cohorts.channel
),

final as (
    select
        counted.*,
        {{ conversion_ratios('counted') }}
    from counted
)

select * from final
