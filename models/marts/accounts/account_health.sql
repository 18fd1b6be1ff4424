{#- One row per live account × report period: red / yellow / green against the threshold of the
    current owner's book, touches, recency, multi-threading and book-composition flags. -#}
{% set channels = activity_channels() %}

with account_periods as (
    select * from {{ ref('int_accounts_spined_to_periods') }}
),

account_periods_touched as (
    select * from {{ ref('int_touches_aggregated_to_account_periods') }}
),

trailing_windows as (
    select * from {{ ref('int_touches_aggregated_to_trailing_windows') }}
),

joined as (
    select
        account_periods.*,
        coalesce(account_periods_touched.touch_count, 0) as touch_count,
        {%- for channel in channels %}
            coalesce(account_periods_touched.{{ channel }}_touch_count, 0)
                as {{ channel }}_touch_count,
        {%- endfor %}
        coalesce(account_periods_touched.qualifying_activity_count, 0)
            as qualifying_activity_count,
        coalesce(account_periods_touched.contacts_engaged, 0) as contacts_engaged,
        coalesce(account_periods_touched.personas_engaged, 0) as personas_engaged,
        trailing_windows.last_touch_at,
        trailing_windows.last_touch_date,
        trailing_windows.days_since_last_touch,
        trailing_windows.is_untouched_in_window,
        trailing_windows.contacts_engaged_in_window,
        trailing_windows.personas_engaged_in_window,
        trailing_windows.has_marketing_and_sales_persona
    from account_periods
    left join account_periods_touched
        on
            account_periods.source_system = account_periods_touched.source_system
            and account_periods.account_id = account_periods_touched.account_id
            and account_periods.period_start = account_periods_touched.period_start
    left join trailing_windows
        on
            account_periods.source_system = trailing_windows.source_system
            and account_periods.account_id = trailing_windows.account_id
            and account_periods.period_start = trailing_windows.period_start
),

judged as (
    {#- Green needs every component of the threshold and at least one touch (a worked account is
        always touched); a book with no threshold row can never be green. -#}
    select
        joined.*,
        case
            when joined.touch_count = 0 then 'red'
            when
                joined.has_threshold
                and joined.qualifying_activity_count >= joined.min_qualifying_activities
                and joined.contacts_engaged >= joined.min_contacts_engaged
                then 'green'
            else 'yellow'
        end as health_status
    from joined
),

final as (
    select
        account_id,
        source_system,
        period_start,
        period_end,
        is_current_period,
        measured_on_date,
        rep_id,
        is_owner_missing,
        rep_role,
        segment,
        is_role_defaulted,
        account_score,
        health_status,
        health_status <> 'red' as is_touched,
        health_status = 'green' as is_worked,
        touch_count,
        {%- for channel in channels %}
            {{ channel }}_touch_count,
        {%- endfor %}
        qualifying_activity_count,
        contacts_engaged,
        personas_engaged,
        has_threshold,
        min_qualifying_activities,
        min_contacts_engaged,
        last_touch_at,
        last_touch_date,
        days_since_last_touch,
        is_untouched_in_window,
        contacts_engaged_in_window,
        personas_engaged_in_window,
        has_marketing_and_sales_persona,
        coalesce(
            health_status = 'red' and account_score < {{ var('low_account_score') }},
            false
        ) as is_nurture_candidate,
        coalesce(
            health_status = 'red' and account_score >= {{ var('high_account_score') }},
            false
        ) as is_priority_gap
    from judged
)

select * from final
