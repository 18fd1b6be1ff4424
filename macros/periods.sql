{% macro period_start(date_expression, period_type=none) %}
    {#- First day of the report period holding a date: week (Monday start), month, or quarter —
        a fiscal quarter, aligned to var fiscal_year_start_month (January = calendar quarters).
        var report_period unless a period type is named. -#}
    {%- set period_type = period_type or var('report_period') -%}
    {%- if period_type == 'quarter' -%}
        {%- set month_start = dbt.date_trunc('month', date_expression) -%}
        {%- set months_into_quarter = 'mod(cast(extract(month from ' ~ date_expression ~ ') as integer) - '
            ~ var('fiscal_year_start_month') ~ ' + 12, 3)' -%}
        cast({{ dbt.dateadd('month', '-1 * ' ~ months_into_quarter, month_start) }} as date)
    {%- else -%}
        cast({{ dbt.date_trunc(period_type, date_expression) }} as date)
    {%- endif -%}
{% endmacro %}


{% macro period_end(period_start_expression, period_type=none) %}
    {#- Last day of the report period that starts on a date. -#}
    {%- set period_type = period_type or var('report_period') -%}
    {%- set length = {'week': (7, 'day'), 'month': (1, 'month'), 'quarter': (3, 'month')}[period_type] -%}
    cast({{ dbt.dateadd('day', -1, dbt.dateadd(length[1], length[0], period_start_expression)) }} as date)
{% endmacro %}


{% macro fiscal_year(date_expression) %}
    {#- Fiscal year named by the calendar year it ends in: with the year starting in February,
        February 2026 – January 2027 is FY2027. -#}
    {%- set start_month = var('fiscal_year_start_month') -%}
    cast(extract(year from {{ date_expression }}) as integer)
    {%- if start_month > 1 %}
        + case when extract(month from {{ date_expression }}) >= {{ start_month }} then 1 else 0 end
    {%- endif %}
{% endmacro %}


{% macro fiscal_quarter(date_expression) %}
    {#- 1-4: the fiscal quarter of a date. -#}
    (1 + cast(floor(mod(cast(extract(month from {{ date_expression }}) as integer)
        - {{ var('fiscal_year_start_month') }} + 12, 12) / 3) as integer))
{% endmacro %}

