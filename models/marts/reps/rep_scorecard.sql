{#- Effort vs execution per rep and report period, each side judged red / yellow / green against
    seed scorecard_targets; outcome first: a rep at or above quota is green overall whatever the
    activity counts (DOMAIN.md "Rep scorecard"). -#}
{% set first_sla_minutes = var('speed_to_lead_sla_minutes') | first %}

with reps as (
    select * from {{ ref('stg_crm__reps') }}
),

periods as (
    select * from {{ ref('int_periods_spined') }}
    where period_type = '{{ var("report_period") }}'
),

account_health as (
    select * from {{ ref('account_health') }}
),

conversion as (
    select * from {{ ref('pipeline_conversion') }}
),

channel_activity as (
    select * from {{ ref('int_activities_aggregated_to_rep_periods') }}
),

owned_pipeline as (
    select * from {{ ref('int_opportunities_aggregated_to_rep_periods') }}
),

quotas as (
    select * from {{ ref('int_quotas_aligned_to_periods') }}
),

speed_to_lead as (
    select * from {{ ref('int_leads_aggregated_to_rep_periods') }}
),

targets as (
    select * from {{ ref('scorecard_targets') }}
),

rep_periods as (
    select
        reps.rep_id,
        reps.rep_name,
        reps.rep_role,
        reps.segment,
        reps.manager_id,
        reps.manager_name,
        reps.account_capacity,
        periods.period_start,
        periods.period_end,
        periods.is_current as is_current_period
    from reps
    cross join periods
    where not reps.is_deleted
),

books as (
    select
        rep_id,
        period_start,
        count(*) as owned_accounts,
        {{ count_where("is_touched") }} as touched_accounts,
        {{ count_where("is_worked") }} as worked_accounts,
        {{ count_where("health_status = 'yellow'") }} as yellow_accounts,
        {{ count_where("health_status = 'red'") }} as red_accounts,
        {{ count_where("is_untouched_in_window") }} as untouched_in_window_accounts,
        {{ count_where("is_nurture_candidate") }} as nurture_candidate_accounts,
        {{ count_where("is_priority_gap") }} as priority_gap_accounts
    from account_health
    group by rep_id, period_start
),

activity_by_channel as (
    select
        rep_id,
        period_start,
        {% for channel in activity_channels() -%}
            cast(
                sum(case when channel = '{{ channel }}' then activities else 0 end) as bigint
            ) as {{ channel }}_activities{% if not loop.last %},{% endif %}
        {% endfor %}
    from channel_activity
    where channel <> 'all'
    group by rep_id, period_start
),

measured as (
    select
        rep_periods.*,
        coalesce(books.owned_accounts, 0) as owned_accounts,
        coalesce(books.touched_accounts, 0) as touched_accounts,
        coalesce(books.worked_accounts, 0) as worked_accounts,
        coalesce(books.owned_accounts, 0) - coalesce(books.touched_accounts, 0)
            as untouched_accounts,
        coalesce(books.worked_accounts, 0) as green_accounts,
        coalesce(books.yellow_accounts, 0) as yellow_accounts,
        coalesce(books.red_accounts, 0) as red_accounts,
        coalesce(books.untouched_in_window_accounts, 0) as untouched_in_window_accounts,
        coalesce(books.nurture_candidate_accounts, 0) as nurture_candidate_accounts,
        coalesce(books.priority_gap_accounts, 0) as priority_gap_accounts,
        {%- for channel in activity_channels() %}
            coalesce(activity_by_channel.{{ channel }}_activities, 0) as {{ channel }}_activities,
        {%- endfor %}
        coalesce(conversion.activities, 0) as completed_activities,
        coalesce(conversion.dials, 0) as dials,
        coalesce(conversion.conversations, 0) as conversations,
        coalesce(conversion.meetings_booked, 0) as meetings_booked,
        coalesce(conversion.meetings_held, 0) as meetings_held,
        conversion.conversations_per_dial,
        coalesce(conversion.opportunities_created, 0) as opportunities_created,
        coalesce(owned_pipeline.opportunities_created_owned, 0) as opportunities_created_owned,
        coalesce(owned_pipeline.pipeline_created_amount, 0) as pipeline_created_amount,
        coalesce(owned_pipeline.opportunities_won, 0) as opportunities_won,
        coalesce(owned_pipeline.won_amount, 0) as won_amount,
        coalesce(owned_pipeline.opportunities_lost, 0) as opportunities_lost,
        coalesce(owned_pipeline.lost_amount, 0) as lost_amount,
        quotas.quota_amount,
        coalesce(quotas.is_quota_prorated, false) as is_quota_prorated,
        coalesce(speed_to_lead.inbound_leads, 0) as inbound_leads,
        speed_to_lead.median_minutes_to_first_touch,
        speed_to_lead.p90_minutes_to_first_touch,
        speed_to_lead.share_touched_within_{{ first_sla_minutes }}_min
            as share_of_inbound_leads_within_first_sla
    from rep_periods
    left join books
        on rep_periods.rep_id = books.rep_id and rep_periods.period_start = books.period_start
    left join activity_by_channel
        on
            rep_periods.rep_id = activity_by_channel.rep_id
            and rep_periods.period_start = activity_by_channel.period_start
    left join conversion
        on
            rep_periods.rep_id = conversion.rep_id
            and rep_periods.period_start = conversion.period_start
            and conversion.channel = 'all'
    left join owned_pipeline
        on
            rep_periods.rep_id = owned_pipeline.rep_id
            and rep_periods.period_start = owned_pipeline.period_start
    left join quotas
        on rep_periods.rep_id = quotas.rep_id and rep_periods.period_start = quotas.period_start
    left join speed_to_lead
        on
            rep_periods.rep_id = speed_to_lead.rep_id
            and rep_periods.period_start = speed_to_lead.period_start
),

rated as (
    {#- Ratios named by what they divide; NULL when the denominator is 0. -#}
    select
        *,
        {{ ratio('touched_accounts', 'owned_accounts') }} as touched_account_share,
        {{ ratio('worked_accounts', 'owned_accounts') }} as worked_account_share,
        {{ ratio('opportunities_created', 'worked_accounts') }}
            as opp_creation_rate_per_worked_account,
        {{ ratio('opportunities_won', 'opportunities_won + opportunities_lost') }}
            as win_rate_by_count,
        {{ ratio('won_amount', 'won_amount + lost_amount') }} as win_rate_by_amount,
        {{ ratio('won_amount', 'quota_amount') }} as quota_attainment
    from measured
),

metric_values as (
    {#- One row per judged metric, so each metric meets its target row once. -#}
    {%- set judged = ['touched_account_share', 'worked_account_share',
                      'opp_creation_rate_per_worked_account', 'conversations_per_dial',
                      'quota_attainment', 'win_rate_by_count'] %}
    {%- for metric in judged %}
        select
            rep_id,
            period_start,
            rep_role,
            '{{ metric }}' as metric,
            {{ metric }} as metric_value
        from rated
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

metric_statuses as (
    select
        metric_values.rep_id,
        metric_values.period_start,
        targets.side,
        case
            when metric_values.metric_value >= targets.green_at_least then 3
            when metric_values.metric_value >= targets.yellow_at_least then 2
            else 1
        end as status_rank
    from metric_values
    inner join targets
        on
            metric_values.rep_role = targets.rep_role
            and metric_values.metric = targets.metric
    where metric_values.metric_value is not null
),

side_statuses as (
    {#- A side is as good as its worst judged metric. -#}
    select
        rep_id,
        period_start,
        min(case when side = 'effort' then status_rank end) as effort_rank,
        min(case when side = 'execution' then status_rank end) as execution_rank
    from metric_statuses
    group by rep_id, period_start
),

final as (
    select
        rated.*,
        {{ status_name('side_statuses.effort_rank') }} as effort_status,
        {{ status_name('side_statuses.execution_rank') }} as execution_status,
        case
            when rated.quota_attainment >= 1 then 'green'
            {#- Below quota (or no quota): the worse of the two sides that could be judged. -#}
            else {{ status_name('least(side_statuses.effort_rank, side_statuses.execution_rank)') }}
        end as overall_status,
        rated.owned_accounts > rated.account_capacity as is_book_over_capacity
    from rated
    left join side_statuses
        on rated.rep_id = side_statuses.rep_id and rated.period_start = side_statuses.period_start
)

select * from final
