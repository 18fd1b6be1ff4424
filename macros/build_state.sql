{% macro record_build_state(results=none) %}
    {#- The working database says whether its last dbt command finished, and how: `running` from
        on-run-start until on-run-end records `finished` with the number of failed nodes. A build
        killed half-way leaves `running`, so scripts/publish_marts.py never publishes its mixture
        of new and old marts.
        The hooks are also compiled, in parallel and never executed, by `dbt compile`,
        `dbt docs generate` and `dbt show`; the drop below happens while compiling, so it is done
        only for the commands that execute the hooks (dbt's own list, not a setting). Otherwise
        those commands would erase the state of the build they describe, and race each other over
        the table. -#}
    {% if not execute or flags.WHICH not in ['build', 'run', 'seed', 'snapshot', 'test', 'retry'] %}
        {{ return('select 1 as build_state_not_recorded') }}
    {% endif %}
    {#- Spark targets have no database, hence target.get. -#}
    {% set relation = api.Relation.create(database=target.get('database'), schema=target.schema, identifier='_build_state', type='table') %}
    {% if results is none %}
        {% set state, failures = 'running', 0 %}
    {% else %}
        {% set state = 'finished' %}
        {% set failures = results | selectattr('status', 'in', ['error', 'fail', 'runtime error']) | list | length %}
    {% endif %}
    {#- Drop then create, one statement per call: PostgreSQL has no `create or replace table` and
        Spark runs one statement per query. -#}
    {% do adapter.create_schema(relation) %}
    {% do adapter.drop_relation(relation) %}
    create table {{ relation }} as
    select
        '{{ invocation_id }}' as invocation_id,
        '{{ flags.WHICH }}' as command,
        '{{ state }}' as state,
        {{ failures }} as failed_nodes
{% endmacro %}
