{% macro status_name(status_rank) %}
    {#- 3 / 2 / 1 as green / yellow / red; nothing judged is `not_rated`. -#}
    case {{ status_rank }}
        when 3 then 'green'
        when 2 then 'yellow'
        when 1 then 'red'
        else 'not_rated'
    end
{% endmacro %}
