{#- One row per live account × report period with at least one touch: touches by channel, the
    qualifying activities and distinct contacts / personas they reached, and the last touch.
    Incremental: a run re-aggregates only the periods whose touches changed (macros/incremental.sql);
    every row carries its period's input fingerprint for the next run to compare with. -#}
{{ config(
    pre_hook="{{ delete_emptied_periods(ref('int_touches_qualified_by_book'),
        [period_start('activity_date')]) }}",
    **incremental_period_config()
) }}
{% set channels = activity_channels() %}
{#- Every column of a touch the aggregate reads. -#}
{% set fingerprint_columns = [
    'source_system', 'activity_id', 'account_id', 'contact_id', 'activity_channel', 'activity_at',
    'activity_date', 'is_qualifying', 'persona'
] %}

with touches as (
    select * from {{ ref('int_touches_qualified_by_book') }}
),

touches_in_periods as (
    {#- activity_date is already the reporting-timezone date; weeks start on Monday. -#}
    select
        touches.*,
        {{ period_start('touches.activity_date') }} as period_start
    from touches
),

row_hashes as (
    {{ period_row_hashes('touches_in_periods', ['period_start'], fingerprint_columns) }}
),

{{ touched_period_ctes('row_hashes') }}
aggregated as (
    select
        source_system,
        account_id,
        period_start,
        cast(count(*) as bigint) as touch_count,
        {%- for channel in channels %}
            cast(sum(case when activity_channel = '{{ channel }}' then 1 else 0 end) as bigint)
                as {{ channel }}_touch_count,
        {%- endfor %}
        cast(sum(case when is_qualifying then 1 else 0 end) as bigint) as qualifying_activity_count,
        cast(count(distinct case when is_qualifying then contact_id end) as bigint)
            as contacts_engaged,
        cast(count(distinct case when is_qualifying then persona end) as bigint)
            as personas_engaged,
        max(activity_at) as last_touch_at,
        max(activity_date) as last_touch_date
    from touches_in_periods
    where {{ in_touched_periods('period_start') }}
    group by
        source_system,
        account_id,
        period_start
),

final as (
    select
        aggregated.*,
        current_fingerprints.period_source_rows,
        current_fingerprints.period_source_fingerprint
    from aggregated
    inner join current_fingerprints
        on aggregated.period_start = current_fingerprints.period_start
)

select * from final
