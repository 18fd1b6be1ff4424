{#- One row per lead owner × lead-creation report period with at least one inbound lead: the
    speed-to-lead side of the rep scorecard. Median and p90 are over leads with a timed first
    touch only (an untouched lead has no time yet); shares are over all inbound leads of the row
    and are cumulative (within 60 min includes within 5 min). -#}
{%- set sla_minutes = var('speed_to_lead_sla_minutes') | sort %}

with leads as (
    select * from {{ ref('int_leads_first_touched') }}
    where rep_id is not null
),

final as (
    select
        rep_id,
        '{{ var("report_period") }}' as period_type,
        created_period_start as period_start,
        cast(count(*) as bigint) as inbound_leads,
        cast(sum(case when is_touched then 1 else 0 end) as bigint) as touched_leads,
        cast({{ percentile('minutes_to_first_touch', 0.5) }} as double precision)
            as median_minutes_to_first_touch,
        cast({{ percentile('minutes_to_first_touch', 0.9) }} as double precision)
            as p90_minutes_to_first_touch,
        {%- for minutes in sla_minutes %}
            cast(
                sum(case when minutes_to_first_touch <= {{ minutes }} then 1 else 0 end)
                as bigint
            ) as leads_touched_within_{{ minutes }}_min,
            cast(
                sum(case when minutes_to_first_touch <= {{ minutes }} then 1 else 0 end)
                as double precision
            ) / count(*) as share_touched_within_{{ minutes }}_min,
        {%- endfor %}
        cast(
            sum(
                case when minutes_to_first_touch > {{ sla_minutes | last }} then 1 else 0 end
            ) as double precision
        ) / count(*) as share_touched_over_{{ sla_minutes | last }}_min,
        cast(
            sum(case when sla_band = 'touched_without_time' then 1 else 0 end) as double precision
        ) / count(*) as share_touched_without_time,
        cast(sum(case when is_touched then 0 else 1 end) as double precision) / count(*)
            as share_not_touched_yet
    from leads
    group by rep_id, created_period_start
)

select * from final
