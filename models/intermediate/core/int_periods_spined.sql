{#- Every week, month and quarter from the first dated record to the as-of date, so periods with
    no data still have a row. -#}
with activities as (
    select * from {{ ref('stg_crm__activities') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

bounds as (
    select
        least(
            (select min(activities.activity_date) from activities),
            (select min(cast(opportunities.created_at as date)) from opportunities),
            (select min(cast(leads.created_at as date)) from leads)
        ) as first_date,
        as_of.as_of_date as last_date
    from as_of
),

days as (
    {{ dbt.date_spine(
        datepart='day',
        start_date="cast('2000-01-01' as date)",
        end_date="cast('2100-01-01' as date)"
    ) }}
),

dates_in_range as (
    select cast(days.date_day as date) as date_day
    from days
    cross join bounds
    where
        cast(days.date_day as date) >= bounds.first_date
        and cast(days.date_day as date) <= bounds.last_date
),

{% set period_types = ['week', 'month', 'quarter'] %}
periods as (
    {% for period_type in period_types %}
        select distinct
            '{{ period_type }}' as period_type,
            {{ period_start('date_day', period_type) }} as period_start
        from dates_in_range
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        periods.period_type,
        periods.period_start,
        case periods.period_type
            {% for period_type in period_types %}
                when '{{ period_type }}' then {{ period_end('periods.period_start', period_type) }}
            {% endfor %}
        end as period_end,
        {{ fiscal_year('periods.period_start') }} as fiscal_year,
        {{ fiscal_quarter('periods.period_start') }} as fiscal_quarter,
        as_of.as_of_date
    from periods
    cross join as_of
)

select
    period_type,
    period_start,
    period_end,
    fiscal_year,
    fiscal_quarter,
    period_end <= as_of_date as is_complete,
    as_of_date between period_start and period_end as is_current
from final
