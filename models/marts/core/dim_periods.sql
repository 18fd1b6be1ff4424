with periods as (
    select * from {{ ref('int_periods_spined') }}
),

final as (
    select
        {{ dbt.concat([
            'period_type', "'-'", dbt.cast('period_start', dbt.type_string())
        ]) }} as period_id,
        period_type,
        period_start,
        period_end,
        fiscal_year,
        fiscal_quarter,
        is_complete,
        is_current
    from periods
)

select * from final
