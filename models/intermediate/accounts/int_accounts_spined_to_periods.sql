{#- One row per live account × report period, from the period the account was created in (or of
    its first touch, if earlier; or the first period, if the creation date is unknown) — but never
    before the first period with any touch in the export — to the as-of period, with the current owner's book and threshold: the driver of account_health. -#}
with accounts as (
    select * from {{ ref('int_accounts_joined_to_books') }}
),

periods as (
    select * from {{ ref('int_periods_spined') }}
    where period_type = '{{ var("report_period") }}'
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

account_periods_touched as (
    select * from {{ ref('int_touches_aggregated_to_account_periods') }}
),

first_touches as (
    select
        source_system,
        account_id,
        min(period_start) as first_touch_period_start
    from account_periods_touched
    group by
        source_system,
        account_id
),

activity_start as (
    {#- Periods before the export holds any touch are not judged: every account would be red for
        lack of data, not for lack of work. (An export with no touch at all judges every period.) -#}
    select min(first_touch_period_start) as first_activity_period_start
    from first_touches
),

account_starts as (
    {#- A touch logged before the account's recorded creation (a migrated record) proves it
        existed: its period is kept rather than dropped. -#}
    select
        accounts.*,
        case
            when
                accounts.created_date is null
                or first_touches.first_touch_period_start < accounts.created_date
                then first_touches.first_touch_period_start
            else accounts.created_date
        end as first_active_date
    from accounts
    left join first_touches
        on
            accounts.source_system = first_touches.source_system
            and accounts.account_id = first_touches.account_id
),

final as (
    select
        account_starts.source_system,
        account_starts.account_id,
        periods.period_start,
        periods.period_end,
        periods.is_current as is_current_period,
        {#- Past periods are measured at their last day, the current one at the as-of date. -#}
        case
            when periods.period_end > as_of.as_of_date then as_of.as_of_date
            else periods.period_end
        end as measured_on_date,
        account_starts.rep_id,
        account_starts.is_owner_missing,
        account_starts.rep_role,
        account_starts.segment,
        account_starts.is_role_defaulted,
        account_starts.account_score,
        account_starts.has_threshold,
        account_starts.min_qualifying_activities,
        account_starts.min_contacts_engaged
    from account_starts
    cross join activity_start
    inner join periods
        on
            periods.period_end >= coalesce(account_starts.first_active_date, periods.period_start)
            and periods.period_start
            >= coalesce(activity_start.first_activity_period_start, periods.period_start)
    cross join as_of
)

select * from final
