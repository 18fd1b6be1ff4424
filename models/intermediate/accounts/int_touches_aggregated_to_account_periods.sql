{#- One row per live account × report period with at least one touch: touches by channel, the
    qualifying activities and distinct contacts / personas they reached, and the last touch. -#}
{% set channels = activity_channels() %}

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

final as (
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
    group by
        source_system,
        account_id,
        period_start
)

select * from final
