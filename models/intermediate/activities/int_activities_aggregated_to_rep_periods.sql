{#- Every rep × report period × channel (plus channel `all`), with the activity side of the
    conversion funnel. Zeros where a rep did nothing, so periods with no data still have a row.
    Incremental: a run rebuilds only the periods whose activities (by activity or booking period)
    or spine (the period itself, any rep, any channel) changed (macros/incremental.sql); every
    row carries its period's input fingerprint for the next run to compare with. -#}
{{ config(
    pre_hook="{{ delete_emptied_periods(ref('int_periods_spined'), ['period_start'],
        \"period_type = '\" ~ var('report_period') ~ \"'\") }}",
    **incremental_period_config()
) }}
{#- Every column of an activity the funnel counts read, and of a rep the spine carries. -#}
{% set activity_columns = [
    'source_system', 'activity_id', 'rep_id', 'activity_channel', 'is_counted_activity', 'is_dial',
    'is_connected_call', 'is_counted_conversation', 'is_meeting_booked', 'is_meeting_held',
    'is_meeting_no_show'
] %}
{% set rep_columns = ['rep_id', 'rep_role', 'segment', 'manager_id', 'manager_name'] %}

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

rep_inputs as (
    select
        count(*) as rep_rows,
        bit_xor({{ row_fingerprint(rep_columns) }}) as rep_fingerprint
    from reps
),

channel_inputs as (
    select
        count(*) as channel_rows,
        bit_xor({{ row_fingerprint(['activity_channel']) }}) as channel_fingerprint
    from (select distinct activity_channel from type_map) as distinct_channels
),

spine_inputs as (
    {#- A period's spine is every rep × channel. The period's own row with one fingerprint of all
        reps and one of all channels changes exactly when a spine row would, at one row per
        period instead of reps × channels. (Spark 4 also fails to run a union holding the
        cross-joined spine: a task cannot deserialize the plan.) -#}
    select
        periods.period_start,
        periods.period_type,
        periods.period_end,
        rep_inputs.rep_rows,
        rep_inputs.rep_fingerprint,
        channel_inputs.channel_rows,
        channel_inputs.channel_fingerprint
    from periods
    cross join rep_inputs
    cross join channel_inputs
),

row_hashes as (
    {{ period_row_hashes('activities', ['period_start', 'booked_period_start'], activity_columns) }}
    union all
    {{ period_row_hashes('spine_inputs', ['period_start'], [
        'period_type', 'period_end', 'rep_rows', 'rep_fingerprint', 'channel_rows',
        'channel_fingerprint'
    ]) }}
),

{{ touched_period_ctes('row_hashes') }}

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
    where
        rep_id is not null
        and (is_counted_activity or is_meeting_no_show)
        and {{ in_touched_periods('period_start') }}
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
    where
        rep_id is not null
        and is_meeting_booked
        and {{ in_touched_periods('booked_period_start') }}
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
        {{ funnel_count_columns('aggregated') }},
        current_fingerprints.period_source_rows,
        current_fingerprints.period_source_fingerprint
    from spine
    inner join current_fingerprints
        on spine.period_start = current_fingerprints.period_start
    left join aggregated
        on
            spine.rep_id = aggregated.rep_id
            and spine.period_start = aggregated.period_start
            and spine.channel = aggregated.channel
    where {{ in_touched_periods('spine.period_start') }}
)

select * from final
