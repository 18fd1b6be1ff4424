{#- Shared steps of every base model: the system columns, re-sync de-duplication and the row's
    fate (staged, duplicate or quarantined), so that raw = staged + duplicate + quarantined. -#}

{% macro salesforce_system_columns(deleted_flags=['is_deleted', '_fivetran_deleted']) %}
    {%- set flags = [] -%}
    {%- for flag in deleted_flags -%}
        {%- do flags.append('coalesce(' ~ parse_boolean(flag) ~ ', false)') -%}
    {%- endfor -%}
    {{ flags | join(' or ') }} as is_deleted,
    {{ parse_timestamp('system_modstamp') }} as modified_at,
    {{ parse_timestamp('_fivetran_synced') }} as synced_at,
    _source_file,
    _source_row_number
{% endmacro %}


{% macro version_rank(key_columns) %}
    {#- 1 = the version of a record to keep: the latest modstamp, then the latest sync, then the
        row that stands last in the file (re-syncs append). -#}
    row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by
            modified_at desc nulls last,
            synced_at desc nulls last,
            _source_row_number desc
    )
{% endmacro %}


{% macro row_fate(key_column) %}
    {#- Expects columns version_rank and quarantine_reason (which names a missing id first: a row
        without id cannot be matched to its versions, so it is never counted as a duplicate). -#}
    case
        when {{ key_column }} is not null and version_rank > 1 then 'duplicate'
        when quarantine_reason is not null then 'quarantined'
        else 'staged'
    end
{% endmacro %}


{% macro quarantine_columns(checks) %}
    {#- checks: [condition, reason_code, detail] triples in priority order (from `missing_value`
        and `unreadable_value`); the first that holds names the row's quarantine reason. -#}
    case
        {%- for check in checks %}
        when {{ check[0] }} then '{{ check[1] }}'
        {%- endfor %}
    end as quarantine_reason,
    case
        {%- for check in checks %}
        when {{ check[0] }} then {{ check[2] }}
        {%- endfor %}
    end as quarantine_detail
{% endmacro %}


{% macro missing_value(raw_column, reason_code=none) %}
    {{ return([
        '(' ~ raw_column ~ " is null or trim(" ~ raw_column ~ ") = '')",
        reason_code or 'missing_' ~ raw_column,
        "'" ~ raw_column ~ " is empty'"
    ]) }}
{% endmacro %}


{% macro unreadable_value(raw_column, kind) %}
    {%- set parsers = {
        'timestamp': parse_timestamp, 'date': parse_date, 'number': parse_number, 'integer': parse_integer
    } -%}
    {{ return([
        is_unparseable(raw_column, parsers[kind](raw_column)),
        'invalid_' ~ kind,
        "'" ~ raw_column ~ " = ' || " ~ raw_column
    ]) }}
{% endmacro %}
