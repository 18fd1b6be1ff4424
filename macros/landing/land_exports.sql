{% macro land_exports() %}
    {#- On DuckDB the build reads export folders directly: each object file becomes a view in the
        source's raw schema, shaped to the contract in the sources YAML. Other engines read tables
        an ELT tool loaded into that schema, so there is nothing to land. -#}
    {% if execute and target.type == 'duckdb' %}
        {% for source_name in crm_sources() %}
            {% if var(source_name ~ '_enabled') %}
                {% do land_export_folder(source_name, var(source_name ~ '_export_dir'), var(source_name ~ '_raw_schema')) %}
            {% else %}
                {% do land_disabled_source(source_name, var(source_name ~ '_raw_schema')) %}
            {% endif %}
        {% endfor %}
        {% do refuse_export_without_activity() %}
    {% endif %}
    select 1
{% endmacro %}


{% macro refuse_export_without_activity() %}
    {#- With var as_of_date unset, the as-of date is the last day activity was logged; an export
        without any activity row has none, and every "current" figure would be NULL. -#}
    {% if var('as_of_date') is not none %}{{ return(none) }}{% endif %}
    {% set activity_objects = {'salesforce': ['task', 'event'], 'hubspot': ['engagement']} %}
    {% set probes = [] %}
    {% for source_name in crm_sources() if var(source_name ~ '_enabled') %}
        {% for object_name in activity_objects[source_name] %}
            {% do probes.append('select 1 from ' ~ adapter.quote(var(source_name ~ '_raw_schema')) ~ '.'
                                ~ adapter.quote(object_name)) %}
        {% endfor %}
    {% endfor %}
    {% if probes and run_query('select count(*) from (' ~ probes | join(' union all ') ~ ' limit 1)').rows[0][0] == 0 %}
        {% do exceptions.raise_compiler_error(
            "the export holds no activity (no task, event or engagement row), so there is no last "
            ~ "activity day for the as-of date. Set var as_of_date, e.g. "
            ~ "dbt build --vars '{as_of_date: 2026-10-31}', or export the activity objects again."
        ) %}
    {% endif %}
{% endmacro %}


{% macro crm_sources() %}
    {#- The CRMs the project reads. Each has vars <name>_enabled, <name>_export_dir and
        <name>_raw_schema, and a source of the same name in models/staging/<name>/. -#}
    {{ return(['salesforce', 'hubspot']) }}
{% endmacro %}


{% macro land_disabled_source(source_name, schema) %}
    {#- A CRM that is switched off still has its contract: every table lands empty, so the
        canonical layer unions the same models whichever CRMs feed the build. -#}
    {% do run_query('create schema if not exists ' ~ adapter.quote(schema)) %}
    {% for table in graph.sources.values() | selectattr('source_name', 'equalto', source_name) %}
        {% do run_query('create or replace view ' ~ adapter.quote(schema) ~ '.' ~ adapter.quote(table.name)
                        ~ ' as ' ~ landing_select(table, none, {})) %}
    {% endfor %}
{% endmacro %}


{% macro land_export_folder(source_name, folder, schema) %}
    {% set folder = folder | string %}
    {% set folder = folder[:-1] if folder.endswith('/') else folder %}
    {% set any_file = run_query("select count(*) from glob('" ~ sql_text(folder) ~ "/*')").columns[0].values()[0] %}
    {% if any_file == 0 %}
        {% do exceptions.raise_compiler_error(
            source_name ~ " export: folder '" ~ folder ~ "' does not exist or holds no file. "
            ~ "Point var " ~ source_name ~ "_export_dir at the folder of the export, e.g. "
            ~ "dbt build --vars '{" ~ source_name ~ "_export_dir: /path/to/export}'"
        ) %}
    {% endif %}
    {% do run_query('create schema if not exists ' ~ adapter.quote(schema)) %}
    {% set absent = [] %}
    {% for table in graph.sources.values() | selectattr('source_name', 'equalto', source_name) | sort(attribute='name') %}
        {% set file = find_export_file(source_name, folder, table.name) %}
        {% if file is none %}
            {% if table.meta.get('required_object', true) %}
                {% do exceptions.raise_compiler_error(
                    source_name ~ " export: no file for required object '" ~ table.name ~ "' in '" ~ folder
                    ~ "'. Add " ~ table.name ~ ".csv (or .csv.gz / .parquet) to the export."
                ) %}
            {% endif %}
            {% do absent.append(table.name) %}
            {% set body = landing_select(table, none, {}) %}
        {% else %}
            {#- Said before reading: if DuckDB cannot read the file, its error follows this line. -#}
            {{ log(source_name ~ " export: reading " ~ table.name ~ " from " ~ file
                   ~ " (it must be a CSV with a header row, or Parquet)", info=true) }}
            {% set mapping = map_export_headers(source_name, table, file) %}
            {% set body = landing_select(table, file, mapping) %}
        {% endif %}
        {% set relation = adapter.quote(schema) ~ '.' ~ adapter.quote(table.name) %}
        {% do run_query('create or replace view ' ~ relation ~ ' as ' ~ body) %}
        {% if file is not none %}
            {% do refuse_empty_required_columns(source_name, table, file, relation, mapping) %}
        {% endif %}
    {% endfor %}
    {% if absent %}
        {% do exceptions.warn(
            source_name ~ " export: no file for optional object(s) " ~ absent | join(', ') ~ " in '" ~ folder
            ~ "'; they are landed empty and the metrics that need them will be empty or NULL."
        ) %}
    {% endif %}
    {{ log(source_name ~ " export landed from '" ~ folder ~ "' into schema " ~ schema, info=true) }}
{% endmacro %}


{% macro find_export_file(source_name, folder, object_name) %}
    {#- One file per object, named after it; two candidates is ambiguous and refused. -#}
    {% set found = [] %}
    {% for extension in ['csv', 'csv.gz', 'parquet'] %}
        {% set path = folder ~ '/' ~ object_name ~ '.' ~ extension %}
        {% set hits = run_query("select count(*) from glob('" ~ sql_text(path) ~ "')").columns[0].values()[0] %}
        {% if hits > 0 %}{% do found.append(path) %}{% endif %}
    {% endfor %}
    {% if found | length > 1 %}
        {% do exceptions.raise_compiler_error(
            source_name ~ " export: object '" ~ object_name ~ "' has several files (" ~ found | join(', ')
            ~ "). Keep exactly one file per object."
        ) %}
    {% endif %}
    {% if not found %}{{ return(none) }}{% endif %}
    {% set size = run_query("select size from read_blob('" ~ sql_text(found[0]) ~ "')").columns[0].values()[0] %}
    {% if size == 0 %}
        {% do exceptions.raise_compiler_error(
            source_name ~ " export: file '" ~ found[0] ~ "' is empty (0 bytes). Export it again: "
            ~ "a file needs at least its header row; delete it if the object is optional and absent."
        ) %}
    {% endif %}
    {{ return(found[0]) }}
{% endmacro %}


{% macro export_reader(file) %}
    {#- Everything lands as text: typing is staging's job, so a bad value is quarantined there
        with a reason instead of failing the read. -#}
    {% if file.endswith('.parquet') %}
        {{ return("read_parquet('" ~ sql_text(file) ~ "')") }}
    {% else %}
        {{ return("read_csv('" ~ sql_text(file) ~ "', header = true, all_varchar = true)") }}
    {% endif %}
{% endmacro %}


{% macro map_export_headers(source_name, table, file) %}
    {#- Contract column -> file header. A header matches when both are equal ignoring case and
        non-alphanumerics, so `owner_id`, `OwnerId` and `OWNERID` all land as owner_id. -#}
    {% set headers = run_query('describe select * from ' ~ export_reader(file)).columns[0].values() %}
    {% set written = written_headers(file, headers) %}
    {% set by_key = {} %}
    {% for header in headers %}
        {% if '"' in written[loop.index0] and header_key(written[loop.index0]) %}
            {% do exceptions.raise_compiler_error(
                source_name ~ " export: file '" ~ file ~ "' has a header with a double quote in it ("
                ~ written[loop.index0] ~ "), a sign of broken CSV quoting. Export the file again."
            ) %}
        {% endif %}
        {% do by_key.setdefault(header_key(written[loop.index0]), []).append(header) %}
    {% endfor %}
    {% set mapping = {} %}
    {% set missing = [] %}
    {% for column in table.columns.values() %}
        {% set wanted = var(column.meta.header_var) if column.meta.get('header_var') else column.name %}
        {% set candidates = by_key.get(header_key(wanted), []) %}
        {% if candidates | length > 1 %}
            {% do exceptions.raise_compiler_error(
                source_name ~ " export: file '" ~ file ~ "' has several headers for column '" ~ column.name
                ~ "' (" ~ candidates | join(', ') ~ "). Keep one of them."
            ) %}
        {% elif candidates %}
            {% do mapping.update({column.name: candidates[0]}) %}
        {% elif column.meta.get('required') %}
            {% do missing.append(wanted) %}
        {% endif %}
    {% endfor %}
    {% if missing %}
        {% do exceptions.raise_compiler_error(
            source_name ~ " export: file '" ~ file ~ "' is missing required column(s) " ~ missing | join(', ')
            ~ ". Headers may be snake_case or the CRM's API names (e.g. owner_id or OwnerId); add the "
            ~ "column to the export. Columns found: " ~ headers | join(', ')
        ) %}
    {% endif %}
    {{ return(mapping) }}
{% endmacro %}


{% macro written_headers(file, headers) %}
    {#- The header row as written in the file. DuckDB renames a repeated header (`Id`, `Id_1`), which
        would hide a second column for the same field; reading the first line as data shows it. -#}
    {% if file.endswith('.parquet') %}{{ return(headers) }}{% endif %}
    {% set first_line = run_query("select * from read_csv('" ~ sql_text(file) ~ "', header = false, all_varchar = true) limit 1") %}
    {% set written = first_line.rows[0].values() | list if first_line.rows else [] %}
    {% if written | length != headers | length %}{{ return(headers) }}{% endif %}
    {#- An empty header cell reads as NULL: keep DuckDB's name for it. -#}
    {% set named = [] %}
    {% for header in written %}{% do named.append(header if header is not none else headers[loop.index0]) %}{% endfor %}
    {{ return(named) }}
{% endmacro %}


{% macro refuse_empty_required_columns(source_name, table, file, relation, mapping) %}
    {#- A required column that is in the file but empty on every row is an export made without
        permission to read the field; building on it would make every row look unowned or
        unkeyed. Checked on the first rows only, so landing never reads a whole large file. -#}
    {% set required = [] %}
    {% for column in table.columns.values() %}
        {% if column.meta.get('required') and column.name in mapping %}{% do required.append(column.name) %}{% endif %}
    {% endfor %}
    {% if not required %}{{ return(none) }}{% endif %}
    {% set sample_rows = 100000 %}
    {% set counts = [] %}
    {% for column in required %}
        {% do counts.append('count(' ~ adapter.quote(column) ~ ')') %}
    {% endfor %}
    {% set result = run_query('select count(*), ' ~ counts | join(', ') ~ ' from (select * from ' ~ relation
                              ~ ' limit ' ~ sample_rows ~ ')').rows[0].values() %}
    {% set empty = [] %}
    {% for column in required %}
        {% if result[0] > 0 and result[loop.index] == 0 %}{% do empty.append(column ~ ' (header ' ~ mapping[column] ~ ')') %}{% endif %}
    {% endfor %}
    {% if empty %}
        {% do exceptions.raise_compiler_error(
            source_name ~ " export: file '" ~ file ~ "': required column(s) " ~ empty | join(', ')
            ~ " are empty in every row read (the first " ~ sample_rows ~ " at most). Check the exporting "
            ~ "user's field permissions and export the file again."
        ) %}
    {% endif %}
{% endmacro %}


{% macro quote_header(header) %}
    {#- A file header as an SQL identifier, whatever characters it holds. -#}
    {{ return('"' ~ header.replace('"', '""') ~ '"') }}
{% endmacro %}


{% macro header_key(header) %}
    {{ return(modules.re.sub('[^a-z0-9]', '', header | lower)) }}
{% endmacro %}


{% macro landing_select(table, file, mapping) %}
    {#- The contract's columns in contract order, all text; absent optional columns are NULL. -#}
    {% set columns = [] %}
    {% for column in table.columns.values() %}
        {% if column.name in mapping %}
            {% do columns.append('cast(' ~ quote_header(mapping[column.name]) ~ ' as varchar) as ' ~ adapter.quote(column.name)) %}
        {% else %}
            {% do columns.append('cast(null as varchar) as ' ~ adapter.quote(column.name)) %}
        {% endif %}
    {% endfor %}
    {% if file is none %}
        {% do columns.append('cast(null as varchar) as _source_file') %}
        {% do columns.append('cast(null as bigint) as _source_row_number') %}
        {{ return('select ' ~ columns | join(', ') ~ ' where 1 = 0') }}
    {% endif %}
    {% do columns.append("'" ~ sql_text(file) ~ "' as _source_file") %}
    {#- File order makes re-sync tie-breaks and quarantine lookups reproducible. Parquet has it as
        a column, which DuckDB reads in parallel. CSV has none: a row number over the scan (with
        DuckDB's default insertion-order preservation) numbers rows as they stand in the file, but
        it makes the scan and everything above it run in one thread (docs/benchmarks.md). -#}
    {% if file.endswith('.parquet') and not parquet_has_column(file, 'file_row_number') %}
        {% do columns.append('file_row_number + 1 as _source_row_number') %}
        {% set reader = "read_parquet('" ~ sql_text(file) ~ "', file_row_number = true)" %}
    {% else %}
        {% do columns.append('row_number() over () as _source_row_number') %}
        {% set reader = export_reader(file) %}
    {% endif %}
    {{ return('select ' ~ columns | join(', ') ~ ' from ' ~ reader) }}
{% endmacro %}


{% macro parquet_has_column(file, column_name) %}
    {#- DuckDB refuses its file_row_number option on a file that has a column of that name. -#}
    {% set names = run_query('describe select * from ' ~ export_reader(file)).columns[0].values() %}
    {{ return(column_name in names | map('lower') | list) }}
{% endmacro %}


{% macro sql_text(value) %}
    {#- Escape a value for a single-quoted SQL string literal. -#}
    {{ return((value | string).replace("'", "''")) }}
{% endmacro %}
