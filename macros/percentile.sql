{% macro percentile(expression, fraction) %}
    {#- Continuous percentile (linear interpolation between the two nearest values) of a numeric
        expression, as an aggregate: `percentile('minutes', 0.5)` is the median. NULLs are ignored;
        NULL when every value is NULL. -#}
    {{ return(adapter.dispatch('percentile', 'sales_activity')(expression, fraction)) }}
{% endmacro %}

{% macro default__percentile(expression, fraction) %}
    {#- DuckDB (the embedded default engine). -#}
    quantile_cont({{ expression }}, {{ fraction }})
{% endmacro %}

{% macro postgres__percentile(expression, fraction) %}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{% endmacro %}

{% macro spark__percentile(expression, fraction) %}
    percentile({{ expression }}, {{ fraction }})
{% endmacro %}
