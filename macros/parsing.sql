{#- Typing raw export text. Each parser returns NULL for a value it cannot read (never an error),
    so staging can quarantine the row with a reason instead of failing the build. -#}

{% macro parse_timestamp(column) %}
    {{ return(adapter.dispatch('parse_timestamp', 'sales_activity')(column)) }}
{% endmacro %}

{% macro default__parse_timestamp(column) %}
    {#- Offsets are honoured and the result is UTC; a value without offset is already UTC (ELT
        tools land UTC), which holds because the profile pins the session TimeZone to UTC. -#}
    timezone('UTC', try_cast({{ column }} as timestamptz))
{% endmacro %}

{% macro spark__parse_timestamp(column) %}
    {#- Spark's timestamp is an instant read in the session time zone (UTC in the profile). -#}
    try_cast({{ column }} as timestamp)
{% endmacro %}

{% macro postgres__parse_timestamp(column) %}
    timezone('UTC', {{ safe_cast_function('timestamptz') }}({{ column }}))
{% endmacro %}


{% macro parse_date(column) %}
    {{ return(adapter.dispatch('parse_date', 'sales_activity')(column)) }}
{% endmacro %}

{% macro default__parse_date(column) %}
    {#- Dates are calendar dates; a Data Loader export may write them as midnight timestamps. -#}
    coalesce(try_cast({{ column }} as date), try_cast(try_cast({{ column }} as timestamp) as date))
{% endmacro %}

{% macro postgres__parse_date(column) %}
    coalesce(
        {{ safe_cast_function('date') }}({{ column }}),
        cast({{ safe_cast_function('timestamptz') }}({{ column }}) as date)
    )
{% endmacro %}

{% macro postgres__parse_number(column, scale=2) %}
    cast({{ safe_cast_function('decimal') }}({{ column }}, {{ scale }}) as decimal(18, {{ scale }}))
{% endmacro %}


{% macro parse_number(column, scale=2) %}
    {{ return(adapter.dispatch('parse_number', 'sales_activity')(column, scale)) }}
{% endmacro %}

{% macro default__parse_number(column, scale=2) %}
    try_cast(trim({{ column }}) as decimal(18, {{ scale }}))
{% endmacro %}


{% macro parse_integer(column) %}
    {#- Whole numbers may be exported as `12.0`. A fraction is rounded half away from zero,
        explicitly: a bare cast to bigint rounds on DuckDB and PostgreSQL but truncates on Spark. -#}
    cast(round({{ parse_number(column) }}) as bigint)
{% endmacro %}


{% macro parse_boolean(column) %}
    case
        when lower(trim({{ column }})) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim({{ column }})) in ('false', 'f', '0', 'no', 'n') then false
    end
{% endmacro %}


{% macro normalize_label(column) %}
    {#- Picklist values are typed by people: compare them lower-cased with spacing folded. -#}
    {{ return(adapter.dispatch('normalize_label', 'sales_activity')(column)) }}
{% endmacro %}

{% macro default__normalize_label(column) %}
    nullif(regexp_replace(lower(trim({{ column }})), '\s+', ' ', 'g'), '')
{% endmacro %}

{% macro spark__normalize_label(column) %}
    {#- Spark's regexp_replace replaces every match and takes no flags; `\\` is one backslash in its literals. -#}
    nullif(regexp_replace(lower(trim({{ column }})), '\\s+', ' '), '')
{% endmacro %}


{% macro is_unparseable(raw_column, parsed_column) %}
    {#- A value was given but could not be read. -#}
    ({{ raw_column }} is not null and trim({{ raw_column }}) <> '' and {{ parsed_column }} is null)
{% endmacro %}


{% macro sql_list(values) %}
    {#- A var list as a SQL list of lower-cased string literals, for `in (...)`. -#}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append("'" ~ sql_text(value | lower) ~ "'") -%}
    {%- endfor -%}
    ({{ quoted | join(', ') if quoted else 'null' }})
{% endmacro %}


{% macro match_key(column) %}
    {#- Names people type (role names, stage labels) compared ignoring case, spacing and punctuation:
        `Mid-Market AE`, `mid market ae` and `MidMarket AE` are one key. -#}
    {{ return(adapter.dispatch('match_key', 'sales_activity')(column)) }}
{% endmacro %}

{% macro default__match_key(column) %}
    nullif(regexp_replace(lower({{ column }}), '[^a-z0-9]', '', 'g'), '')
{% endmacro %}

{% macro spark__match_key(column) %}
    nullif(regexp_replace(lower({{ column }}), '[^a-z0-9]', ''), '')
{% endmacro %}


{% macro to_reporting_date(utc_timestamp) %}
    {#- The calendar date of a UTC instant in var reporting_timezone. -#}
    {{ return(adapter.dispatch('to_reporting_date', 'sales_activity')(utc_timestamp)) }}
{% endmacro %}

{% macro default__to_reporting_date(utc_timestamp) %}
    {%- set tz = var('reporting_timezone') -%}
    {%- if tz == 'UTC' -%}
        cast({{ utc_timestamp }} as date)
    {%- else -%}
        cast(timezone('{{ sql_text(tz) }}', {{ utc_timestamp }} at time zone 'UTC') as date)
    {%- endif -%}
{% endmacro %}

{% macro spark__to_reporting_date(utc_timestamp) %}
    cast(from_utc_timestamp({{ utc_timestamp }}, '{{ sql_text(var('reporting_timezone')) }}') as date)
{% endmacro %}


{% macro persona_title(column) %}
    {#- A title lower-cased, punctuation turned to spaces and padded with spaces, so persona
        patterns can match whole words (`% cto %` must not match "Director"). -#}
    {{ return(adapter.dispatch('persona_title', 'sales_activity')(column)) }}
{% endmacro %}

{% macro default__persona_title(column) %}
    concat(' ', regexp_replace(lower(coalesce({{ column }}, '')), '[^a-z0-9]+', ' ', 'g'), ' ')
{% endmacro %}

{% macro spark__persona_title(column) %}
    concat(' ', regexp_replace(lower(coalesce({{ column }}, '')), '[^a-z0-9]+', ' '), ' ')
{% endmacro %}
