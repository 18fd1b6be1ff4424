{% test seed_keys_exist(model, columns, to) %}
{#- Rows of a config seed whose key `columns` match no row of `to` (e.g. an SLA for a stage the
    stage map does not have), which would silently never apply. -#}
select child.*
from {{ model }} as child
left join {{ to }} as parent
    on
    {%- for column in columns %}
        child.{{ column }} = parent.{{ column }}{% if not loop.last %} and{% endif %}
    {%- endfor %}
where parent.{{ columns[0] }} is null
{% endtest %}
