{#- What differs between the three engines and is not covered by dbt's own cross-database macros.
    Models call these; each engine's variant lives here or next to the macro it specialises. -#}

{% macro type_double() %}
    {#- An 8-byte float. dbt.type_float() is 4 bytes on DuckDB and Spark, so ratios would differ
        between engines in the later decimals. -#}
    {{ return(adapter.dispatch('type_double', 'sales_activity')()) }}
{% endmacro %}

{% macro default__type_double() %}double precision{% endmacro %}

{% macro spark__type_double() %}double{% endmacro %}


{% macro safe_cast_function(type_name) %}
    {#- The PostgreSQL function (created by create_safe_cast_functions) that reads text as
        type_name and returns NULL where DuckDB's and Spark's try_cast would. -#}
    {{ adapter.quote(target.schema) }}.try_cast_{{ type_name }}
{% endmacro %}


{% macro create_safe_cast_functions() %}
    {#- on-run-start: PostgreSQL has no try_cast, so the parsers call small functions instead. -#}
    {{ return(adapter.dispatch('create_safe_cast_functions', 'sales_activity')()) }}
{% endmacro %}

{% macro default__create_safe_cast_functions() %}
    select 1 as try_cast_is_built_in
{% endmacro %}

{% macro postgres__create_safe_cast_functions() %}
    {#- Only ISO-8601 shapes are read as instants and dates, as on DuckDB: PostgreSQL would also read
        words such as `yesterday`, `now` or `infinity`, which must be quarantined, not staged. A
        number too large for decimal(18, scale) is NULL, as DuckDB's try_cast makes it. -#}
    {%- set iso_date = '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}' -%}
    {%- set iso_time = '([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?' -%}
    {%- set iso_offset = '(Z|[+-][0-9]{2}(:?[0-9]{2})?)?' -%}
    {%- set guards = {
        'timestamptz': '^ *' ~ iso_date ~ iso_time ~ ' *' ~ iso_offset ~ ' *$',
        'date': '^ *' ~ iso_date ~ ' *$',
    } -%}
    {% do adapter.create_schema(api.Relation.create(database=target.database, schema=target.schema)) %}
    {%- for type_name, guard in guards.items() %}
    create or replace function {{ safe_cast_function(type_name) }}(value text) returns {{ type_name }}
    language plpgsql stable as $$
    begin
        if value !~ '{{ guard }}' then
            return null;
        end if;
        return cast(value as {{ type_name }});
    exception when others then
        return null;
    end
    $$;
    {%- endfor %}
    create or replace function {{ safe_cast_function('decimal') }}(value text, scale integer) returns numeric
    language plpgsql immutable as $$
    declare
        parsed numeric;
    begin
        parsed := round(cast(value as numeric), scale);
        return case when abs(parsed) < power(10::numeric, 18 - scale) then parsed end;
    exception when others then
        return null;
    end
    $$;
{% endmacro %}


{% macro regex_full_match(expression, pattern) %}
    {#- true when the whole text matches the (POSIX-style) pattern. -#}
    {{ return(adapter.dispatch('regex_full_match', 'sales_activity')(expression, pattern)) }}
{% endmacro %}

{% macro default__regex_full_match(expression, pattern) %}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{% endmacro %}

{% macro postgres__regex_full_match(expression, pattern) %}
    ({{ expression }} ~ '^({{ pattern }})$')
{% endmacro %}

{% macro spark__regex_full_match(expression, pattern) %}
    ({{ expression }} rlike '^({{ pattern }})$')
{% endmacro %}


{% macro epoch_ms_to_timestamp(milliseconds) %}
    {#- A UTC timestamp from milliseconds since 1970-01-01 UTC. -#}
    {{ return(adapter.dispatch('epoch_ms_to_timestamp', 'sales_activity')(milliseconds)) }}
{% endmacro %}

{% macro default__epoch_ms_to_timestamp(milliseconds) %}
    make_timestamp({{ milliseconds }} * 1000)
{% endmacro %}

{% macro postgres__epoch_ms_to_timestamp(milliseconds) %}
    (timestamp '1970-01-01 00:00:00' + {{ milliseconds }} * interval '1 millisecond')
{% endmacro %}

{% macro spark__epoch_ms_to_timestamp(milliseconds) %}
    timestamp_millis({{ milliseconds }})
{% endmacro %}


{% macro split_to_rows(expression, delimiter) %}
    {#- One row per part of a delimited text (a set-returning select expression, so it must be the
        whole expression: wrap it in a subquery to transform the parts). delimiter: one character
        that is not special in a regular expression (Spark's split takes a pattern). -#}
    {{ return(adapter.dispatch('split_to_rows', 'sales_activity')(expression, delimiter)) }}
{% endmacro %}

{% macro default__split_to_rows(expression, delimiter) %}
    unnest(string_split({{ expression }}, '{{ delimiter }}'))
{% endmacro %}

{% macro postgres__split_to_rows(expression, delimiter) %}
    unnest(string_to_array({{ expression }}, '{{ delimiter }}'))
{% endmacro %}

{% macro spark__split_to_rows(expression, delimiter) %}
    explode(split({{ expression }}, '{{ delimiter }}'))
{% endmacro %}


{% macro spark__load_csv_rows(model, agate_table) %}
    {#- dbt-spark's seed loader for a session target binds an empty cell as the text 'None'
        (dbt-labs/dbt-adapters#487), so a seed's empty cells would not be NULL on Spark. The same
        insert, with an empty cell written as a typed NULL instead of a binding. -#}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(column_types.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set bindings, tuples = [], [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- if value is none -%}
                    {%- do values.append('cast(null as ' ~ types[loop.index0] ~ ')') -%}
                {%- else -%}
                    {%- do bindings.append(value) -%}
                    {%- do values.append('cast(' ~ get_binding_char() ~ ' as ' ~ types[loop.index0] ~ ')') -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do tuples.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ tuples | join(', ') -%}
        {%- do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else "") }}
{% endmacro %}


{% macro insertion_order(preserved) %}
    {#- A model hook: whether DuckDB keeps rows in the order its query produced them while this
        model's session writes. Other engines have no such setting. -#}
    {{ return(adapter.dispatch('insertion_order', 'sales_activity')(preserved)) }}
{% endmacro %}

{% macro default__insertion_order(preserved) %}{% endmacro %}

{% macro duckdb__insertion_order(preserved) %}
    {#- Session scope: the other thread's models, and the landing's CSV row numbers, keep the order. -#}
    {%- if preserved -%}
        reset session preserve_insertion_order
    {%- else -%}
        set session preserve_insertion_order = false
    {%- endif -%}
{% endmacro %}
