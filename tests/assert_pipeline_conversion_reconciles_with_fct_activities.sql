{#- The funnel counts of pipeline_conversion (channel `all`, summed over reps) equal the flags of
    fct_activities for activities whose owner is a known rep, per period. Returns periods and
    measures that differ. -#}
with pipeline_conversion as (
    select * from {{ ref('pipeline_conversion') }}
    where channel = 'all'
),

activities as (
    select * from {{ ref('fct_activities') }}
),

reps as (
    select distinct rep_id from {{ ref('stg_crm__reps') }}
),

mart_totals as (
    select
        period_start,
        sum(dials) as dials,
        sum(conversations) as conversations,
        sum(meetings_booked) as meetings_booked,
        sum(meetings_held) as meetings_held,
        sum(no_shows) as no_shows
    from pipeline_conversion
    group by period_start
),

rep_activities as (
    select activities.*
    from activities
    inner join reps
        on activities.rep_id = reps.rep_id
),

activity_totals as (
    select
        period_start,
        sum(case when is_dial then 1 else 0 end) as dials,
        sum(case when is_counted_conversation then 1 else 0 end) as conversations,
        0 as meetings_booked,
        sum(case when is_meeting_held then 1 else 0 end) as meetings_held,
        sum(case when is_meeting_no_show then 1 else 0 end) as no_shows
    from rep_activities
    group by period_start
    union all
    select
        booked_period_start as period_start,
        0 as dials,
        0 as conversations,
        sum(case when is_meeting_booked then 1 else 0 end) as meetings_booked,
        0 as meetings_held,
        0 as no_shows
    from rep_activities
    where is_meeting_booked
    group by booked_period_start
),

fact_totals as (
    select
        period_start,
        sum(dials) as dials,
        sum(conversations) as conversations,
        sum(meetings_booked) as meetings_booked,
        sum(meetings_held) as meetings_held,
        sum(no_shows) as no_shows
    from activity_totals
    group by period_start
)

select
    coalesce(mart_totals.period_start, fact_totals.period_start) as period_start,
    mart_totals.dials as mart_dials,
    fact_totals.dials as fact_dials,
    mart_totals.meetings_booked as mart_meetings_booked,
    fact_totals.meetings_booked as fact_meetings_booked
from mart_totals
full outer join fact_totals
    on mart_totals.period_start = fact_totals.period_start
where
    coalesce(mart_totals.dials, 0) <> coalesce(fact_totals.dials, 0)
    or coalesce(mart_totals.conversations, 0) <> coalesce(fact_totals.conversations, 0)
    or coalesce(mart_totals.meetings_booked, 0) <> coalesce(fact_totals.meetings_booked, 0)
    or coalesce(mart_totals.meetings_held, 0) <> coalesce(fact_totals.meetings_held, 0)
    or coalesce(mart_totals.no_shows, 0) <> coalesce(fact_totals.no_shows, 0)
