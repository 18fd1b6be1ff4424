{#- Quotas come monthly or quarterly; the report period may be a week, month or quarter. A quota of
    the report period's own type is used as is; monthly quotas sum into their quarter; for a month
    report a quarterly quota is split into thirds (flagged prorated); a quota of the report period's
    own type wins over one derived from the other type. Weeks have no quota. -#}
{% set report_period = var('report_period') %}

with quotas as (
    select * from {{ ref('stg_crm__quotas') }}
),

month_offsets as (
    select 0 as month_offset
    union all
    select 1 as month_offset
    union all
    select 2 as month_offset
),

quota_parts as (
    {#- One row per quota, or three monthly thirds of a quarterly quota in a month report. -#}
    select
        quotas.rep_id,
        quotas.period_type as quota_period_type,
        {{ period_start(
            dbt.dateadd('month', 'month_offsets.month_offset', 'quotas.period_start')
        ) }} as period_start,
        case
            when quotas.period_type = 'quarter' and '{{ report_period }}' = 'month'
                then quotas.quota_amount / 3
            else quotas.quota_amount
        end as quota_amount
    from quotas
    inner join month_offsets
        on
            month_offsets.month_offset = 0
            or (quotas.period_type = 'quarter' and '{{ report_period }}' = 'month')
    where '{{ report_period }}' <> 'week'
),

by_quota_type as (
    select
        rep_id,
        period_start,
        quota_period_type,
        sum(quota_amount) as quota_amount,
        row_number() over (
            partition by rep_id, period_start
            order by case when quota_period_type = '{{ report_period }}' then 0 else 1 end
        ) as preference
    from quota_parts
    group by rep_id, period_start, quota_period_type
),

final as (
    select
        rep_id,
        period_start,
        cast(quota_amount as decimal(18, 2)) as quota_amount,
        quota_period_type = 'quarter' and '{{ report_period }}' = 'month' as is_quota_prorated
    from by_quota_type
    where preference = 1
)

select * from final
