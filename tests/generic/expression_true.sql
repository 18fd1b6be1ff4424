{% test expression_true(model, expression, column_name=none) %}
{#- Rows for which the boolean SQL `expression` is not true. On a column, rows where that column
    is NULL are not judged (like not_null, that is a test of its own). -#}
select *
from {{ model }}
where
    not coalesce({{ expression }}, false)
    {% if column_name is not none %}and {{ column_name }} is not null{% endif %}
{% endtest %}
