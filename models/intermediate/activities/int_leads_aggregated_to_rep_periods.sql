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
        {{ count_where('is_touched') }} as touched_leads,
        cast({{ percentile('minutes_to_first_touch', 0.5) }} as {{ type_double() }})
            as median_minutes_to_first_touch,
        cast({{ percentile('minutes_to_first_touch', 0.9) }} as {{ type_double() }})
            as p90_minutes_to_first_touch,
        {%- for minutes in sla_minutes %}
            {{ count_where('minutes_to_first_touch <= ' ~ minutes) }}
                as leads_touched_within_{{ minutes }}_min,
            {{ ratio(count_where('minutes_to_first_touch <= ' ~ minutes), 'count(*)') }}
                as share_touched_within_{{ minutes }}_min,
        {%- endfor %}
        {{ ratio(count_where('minutes_to_first_touch > ' ~ sla_minutes | last), 'count(*)') }}
            as share_touched_over_{{ sla_minutes | last }}_min,
        {{ ratio(count_where("sla_band = 'touched_without_time'"), 'count(*)') }}
            as share_touched_without_time,
        {{ ratio(count_where('not is_touched'), 'count(*)') }} as share_not_touched_yet
    from leads
    group by rep_id, created_period_start
)

select * from final
