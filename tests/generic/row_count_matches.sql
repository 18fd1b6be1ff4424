{% test row_count_matches(model, driver, driver_filter='true') %}
{#- Fan-out guard: the model has exactly as many rows as its driver (no join multiplied or dropped
    a row). Returns one row with both counts when they differ. -#}
with model_rows as (
    select count(*) as mart_rows from {{ model }}
),

driver_rows as (
    select count(*) as driver_rows from {{ driver }} where {{ driver_filter }}
)

select
    model_rows.mart_rows,
    driver_rows.driver_rows
from model_rows
cross join driver_rows
where model_rows.mart_rows <> driver_rows.driver_rows
{% endtest %}
