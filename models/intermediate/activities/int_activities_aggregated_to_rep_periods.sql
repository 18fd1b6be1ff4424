{#- Every rep × report period × channel (plus channel `all`), with the activity side of the
    conversion funnel. Zeros where a rep did nothing, so periods with no data still have a row. -#}
with activities as (
    select * from {{ ref('int_activities_classified') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

periods as (
    select * from {{ ref('int_periods_spined') }}
    where period_type = '{{ var("report_period") }}'
),

type_map as (
    select * from {{ ref('activity_type_map') }}
),

channels as (
    {#- Every channel the activity type map can produce, and `all` for the rep's whole funnel. -#}
    select distinct activity_channel as channel from type_map
    union
    select 'all' as channel
),

spine as (
    select
        reps.rep_id,
        reps.rep_role,
        reps.segment,
        reps.manager_id,
        reps.manager_name,
        periods.period_type,
        periods.period_start,
        periods.period_end,
        channels.channel
    from reps
    cross join periods
    cross join channels
),

funnel_events as (
    {#- Effort, conversations, meetings held and no-shows count in the period of the activity
        date; a booking counts in the period of its booking date. -#}
    select
        rep_id,
        period_start,
        activity_channel,
        case when is_counted_activity then 1 else 0 end as activities,
        case when is_dial then 1 else 0 end as dials,
        case when is_connected_call then 1 else 0 end as connected_calls,
        case when is_counted_conversation then 1 else 0 end as conversations,
        0 as meetings_booked,
        case when is_meeting_held then 1 else 0 end as meetings_held,
        case when is_meeting_no_show then 1 else 0 end as no_shows
    from activities
    where rep_id is not null and (is_counted_activity or is_meeting_no_show)
    union all
    select
        rep_id,
        booked_period_start as period_start,
        activity_channel,
        0 as activities,
        0 as dials,
        0 as connected_calls,
        0 as conversations,
        1 as meetings_booked,
        0 as meetings_held,
        0 as no_shows
    from activities
    where rep_id is not null and is_meeting_booked
),

by_channel as (
    select
        rep_id,
        period_start,
        activity_channel as channel,
        {{ funnel_count_sums() }}
    from funnel_events
    group by rep_id, period_start, activity_channel
),

all_channels as (
    select
        rep_id,
        period_start,
        'all' as channel,
        {{ funnel_count_sums() }}
    from funnel_events
    group by rep_id, period_start
),

aggregated as (
    select * from by_channel
    union all
    select * from all_channels
),

final as (
    select
        spine.rep_id,
        spine.period_type,
        spine.period_start,
        spine.period_end,
        spine.channel,
        spine.rep_role,
        spine.segment,
        spine.manager_id,
        spine.manager_name,
        {{ funnel_count_columns('aggregated') }}
    from spine
    left join aggregated
        on
            spine.rep_id = aggregated.rep_id
            and spine.period_start = aggregated.period_start
            and spine.channel = aggregated.channel
)

select * from final
