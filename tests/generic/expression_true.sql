{% test expression_true(model, expression, column_name=none) %}
{#- Rows for which the boolean SQL `expression` is false or NULL. -#}
select *
from {{ model }}
where not coalesce({{ expression }}, false)
{% endtest %}
