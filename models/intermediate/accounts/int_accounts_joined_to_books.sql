{#- One row per live account with its current owner's book and that book's activity threshold for
    the report period. Health is always judged by the current owner's book (DOMAIN.md). -#}
{% set channels = activity_channels() %}

with accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

activity_thresholds as (
    select * from {{ ref('activity_thresholds') }}
),

live_accounts as (
    select * from accounts
    where not is_deleted
),

books as (
    {#- An owner that is NULL or not a known user keeps rep_id as given and gets the default book
        (vars default_rep_role, default_segment), flagged, never dropped. -#}
    select
        live_accounts.source_system,
        live_accounts.account_id,
        live_accounts.rep_id,
        live_accounts.account_score,
        {{ to_reporting_date('live_accounts.created_at') }} as created_date,
        reps.rep_id is null as is_owner_missing,
        coalesce(reps.rep_role, '{{ sql_text(var("default_rep_role")) }}') as rep_role,
        coalesce(reps.segment, '{{ sql_text(var("default_segment")) }}') as segment,
        reps.account_capacity,
        coalesce(reps.is_role_defaulted, true) as is_role_defaulted
    from live_accounts
    left join reps
        on
            live_accounts.source_system = reps.source_system
            and live_accounts.rep_id = reps.rep_id
),

final as (
    select
        books.source_system,
        books.account_id,
        books.rep_id,
        books.account_score,
        books.created_date,
        books.is_owner_missing,
        books.rep_role,
        books.segment,
        books.account_capacity,
        books.is_role_defaulted,
        {%- for channel in channels %}
            coalesce(activity_thresholds.includes_{{ channel }}, false) as includes_{{ channel }},
        {%- endfor %}
        activity_thresholds.rep_role is not null as has_threshold,
        activity_thresholds.min_qualifying_activities,
        activity_thresholds.min_contacts_engaged
    from books
    left join activity_thresholds
        on
            books.rep_role = activity_thresholds.rep_role
            and books.segment = activity_thresholds.segment
            and activity_thresholds.period_type = '{{ var("report_period") }}'
)

select * from final
