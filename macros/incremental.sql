{#- Incremental models rebuild only the report periods whose input changed ("touched" periods).
    A period's input is summed up by a fingerprint: how many input rows fall in it and the XOR of
    their row hashes. A period whose fingerprint differs from the one of the previous run is
    rebuilt whole. Comparing content rather than a modstamp watermark is what makes an incremental
    run equal a full refresh: it sees late-arriving rows (synced today, modified long ago),
    re-synced rows that moved to another period (both periods differ), soft deletes, Fivetran
    deletes that do not bump the modstamp, rows whose derived flags changed with the as-of date,
    and rows whose account, channel or book changed with a dimension or a seed row. -#}

{% macro row_fingerprint(columns) %}
    {#- A 64-bit hash of a row's values in column order, NULLs included. -#}
    {{ return(adapter.dispatch('row_fingerprint', 'sales_activity')(columns)) }}
{% endmacro %}

{% macro default__row_fingerprint(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro postgres__row_fingerprint(columns) -%}
    hashtextextended(cast(row({{ columns | join(', ') }}) as text), 0)
{%- endmacro %}

{% macro spark__row_fingerprint(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}


{% macro period_row_hashes(relation, period_expressions, columns) %}
    {#- One row per input row and report period it falls in (none where the period is NULL):
        period_start and row_hash. A row with several period expressions (an activity's own period
        and its booking's) is in each, its hash tagged with the expression's position so that the
        same row twice in one period does not cancel out in the XOR of period_fingerprints. -#}
    {%- for period_expression in period_expressions %}
        select
            {{ period_expression }} as period_start,
            {{ row_fingerprint(columns + ["'" ~ loop.index ~ "'"]) }} as row_hash
        from {{ relation }}
        where {{ period_expression }} is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}


{% macro period_fingerprints(row_hashes) %}
    {#- One row per report period of a relation of period_row_hashes' shape: period_start,
        period_source_rows and period_source_fingerprint (the XOR of the row hashes). -#}
    select
        period_start,
        count(*) as period_source_rows,
        bit_xor(row_hash) as period_source_fingerprint
    from {{ row_hashes }}
    group by period_start
{% endmacro %}


{% macro touched_periods(current_fingerprints, stored_fingerprints) %}
    {#- The periods to rebuild: those whose fingerprint now (current_fingerprints) differs from the
        one the previous run left (stored_fingerprints), or that exist on one side only. Both
        arguments name relations (or CTEs) of period_fingerprints' shape. -#}
    select coalesce(current_periods.period_start, stored_periods.period_start) as period_start
    from {{ current_fingerprints }} as current_periods
    full outer join {{ stored_fingerprints }} as stored_periods
        on current_periods.period_start = stored_periods.period_start
    where
        current_periods.period_source_rows is distinct from stored_periods.period_source_rows
        or current_periods.period_source_fingerprint
        is distinct from stored_periods.period_source_fingerprint
{% endmacro %}


{% macro touched_period_ctes(row_hashes) %}
    {#- The CTEs an aggregate needs after its row hashes: current_fingerprints (today's, also
        stored on its rows) and, in an incremental run, stored_fingerprints and touched_periods.
        Ends with a comma: the model's own CTEs follow. -#}
current_fingerprints as (
    {{ period_fingerprints(row_hashes) }}
),
{% if is_incremental() %}
stored_fingerprints as (
    {{ stored_period_fingerprints() }}
),

touched_periods as (
    {{ touched_periods('current_fingerprints', 'stored_fingerprints') }}
),
{% endif %}
{%- endmacro %}


{% macro in_touched_periods(period_column) %}
    {#- A condition: in an incremental run, that the row's period is a touched one (CTE
        touched_periods); in a full build, true. -#}
    {%- if is_incremental() -%}
        {{ period_column }} in (select touched_periods.period_start from touched_periods)
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}


{% macro stored_period_fingerprints() %}
    {#- The fingerprints an aggregate stored beside its rows (columns period_source_rows and
        period_source_fingerprint, the same on every row of a period). -#}
    select distinct period_start, period_source_rows, period_source_fingerprint
    from {{ this }}
{% endmacro %}


{% macro delete_emptied_periods(relation, period_expressions, where=none) %}
    {#- Pre-hook of an incremental model: a period whose input rows are all gone (moved, deleted)
        has nothing to insert, so delete+insert would keep its old rows; delete them here. -#}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where period_start not in (
            {%- for period_expression in period_expressions %}
                select {{ period_expression }} from {{ relation }}
                where {{ period_expression }} is not null{% if where %} and ({{ where }}){% endif %}
                {% if not loop.last %}union{% endif %}
            {%- endfor %}
        )
    {%- endif -%}
{% endmacro %}


{% macro incremental_period_config() %}
    {#- The materialization every touched-period model shares: incremental, delete+insert of whole
        periods, on DuckDB and PostgreSQL. On Spark a table rebuilt whole: its Parquet tables cannot
        delete, and insert_overwrite of period partitions would keep the rows of a period whose
        input is all gone (no partition to overwrite it with). -#}
    {%- if target.type == 'spark' -%}
        {{ return({'materialized': 'table'}) }}
    {%- else -%}
        {{ return({'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
                   'unique_key': 'period_start', 'on_schema_change': 'fail'}) }}
    {%- endif -%}
{% endmacro %}
