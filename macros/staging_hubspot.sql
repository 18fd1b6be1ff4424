{#- HubSpot-specific typing: epoch-millisecond timestamps, its system columns and record merges. -#}

{% macro parse_hubspot_timestamp(column) %}
    {#- HubSpot's API writes instants as epoch milliseconds (13 digits), ELT landings as ISO-8601
        text: a value of 11 or more digits alone is read as milliseconds, anything else as ISO. -#}
    case
        when {{ regex_full_match('trim(' ~ column ~ ')', '[0-9]{11,}') }}
            then {{ epoch_ms_to_timestamp(parse_integer(column)) }}
        else {{ parse_timestamp(column) }}
    end
{% endmacro %}


{% macro hubspot_system_columns(modified_column, deleted_flags=['is_deleted', '_fivetran_deleted']) %}
    {#- Same columns as salesforce_system_columns; HubSpot names its modification time per object. -#}
    {%- set flags = [] -%}
    {%- for flag in deleted_flags -%}
        {%- do flags.append('coalesce(' ~ parse_boolean(flag) ~ ', false)') -%}
    {%- endfor -%}
    {{ flags | join(' or ') if flags else 'false' }} as is_deleted,
    {{ parse_hubspot_timestamp(modified_column) }} as modified_at,
    {{ parse_hubspot_timestamp('_fivetran_synced') }} as synced_at,
    _source_file,
    _source_row_number
{% endmacro %}


{% macro hubspot_merge_map(relation, id_column, merged_column='merged_object_ids') %}
    {#- merged_id -> survivor_id from the survivors' `hs_merged_object_ids` (ids separated by `;`).
        A merged-away id that names several survivors resolves to the lowest, so it stays one. -#}
    select
        trim(merged_part) as merged_id,
        min(survivor_id) as survivor_id
    from (
        select
            {{ split_to_rows(merged_column, ';') }} as merged_part,
            {{ id_column }} as survivor_id
        from {{ relation }}
        where {{ merged_column }} is not null and {{ id_column }} is not null
    ) as merge_parts
    where trim(merged_part) <> '' and trim(merged_part) <> survivor_id
    group by trim(merged_part)
{% endmacro %}


{% macro unreadable_hubspot_timestamp(raw_column) %}
    {#- unreadable_value for a HubSpot instant (epoch ms or ISO-8601). -#}
    {{ return([
        is_unparseable(raw_column, parse_hubspot_timestamp(raw_column)),
        'invalid_timestamp',
        "'" ~ raw_column ~ " = ' || " ~ raw_column
    ]) }}
{% endmacro %}


{% macro hubspot_is_sentinel(column) %}
    {#- Fivetran history tables close the current version with a far-future end (9999-12-31):
        it means "still valid", never a date to compute with. -#}
    coalesce(extract(year from {{ parse_hubspot_timestamp(column) }}) >= {{ var('hubspot_sentinel_min_year') }}, false)
{% endmacro %}


{% macro hubspot_call_disposition_label(column) %}
    {#- HubSpot stores a call's outcome as a disposition id: its label from var
        hubspot_call_dispositions; a value that is not a known id is already a label. -#}
    {%- set dispositions = var('hubspot_call_dispositions') -%}
    {%- if not dispositions -%}
        {{ return('trim(' ~ column ~ ')') }}
    {%- endif -%}
    case lower(trim({{ column }}))
        {%- for disposition_id, label in dispositions.items() %}
        when '{{ sql_text(disposition_id | lower) }}' then '{{ sql_text(label) }}'
        {%- endfor %}
        else trim({{ column }})
    end
{% endmacro %}


{% macro hubspot_label(column) %}
    {#- HubSpot enum values (NO_SHOW, NOT_STARTED) as the labels the status vars list ("no show"). -#}
    {{ normalize_label("replace(" ~ column ~ ", '_', ' ')") }}
{% endmacro %}


{% macro stage_map_matches(relation, key_column) %}
    {#- The stage_map row of each record of `relation` (columns source_system, stage_id,
        stage_name): matched by stage id, else by stage name (HubSpot labels), the id winning.
        Salesforce names its stages by name, so both match the same row there. -#}
    select
        {{ relation }}.source_system,
        {{ relation }}.{{ key_column }},
        stage_map.stage_id as map_stage_id,
        row_number() over (
            partition by {{ relation }}.source_system, {{ relation }}.{{ key_column }}
            order by
                case
                    when {{ match_key(relation ~ '.stage_id') }} = {{ match_key('stage_map.stage_id') }}
                        then 0
                    else 1
                end
        ) as match_rank
    from {{ relation }}
    inner join stage_map
        on
            {{ relation }}.source_system = stage_map.source_system
            and (
                {{ match_key(relation ~ '.stage_id') }} = {{ match_key('stage_map.stage_id') }}
                or {{ match_key(relation ~ '.stage_name') }} = {{ match_key('stage_map.stage_name') }}
            )
{% endmacro %}


{% macro hubspot_merge_classified(relation, id_column) %}
    {#- The classified step of a base model for a record type HubSpot merges (companies, contacts,
        deals): each version ranked, plus the survivor it was merged into (merged_into_id). -#}
    select
        {{ relation }}.*,
        merge_map.survivor_id as merged_into_id,
        {{ version_rank([relation ~ '.' ~ id_column]) }} as version_rank
    from {{ relation }}
    left join ({{ hubspot_merge_map(relation, id_column) }}) as merge_map
        on {{ relation }}.{{ id_column }} = merge_map.merged_id
{% endmacro %}


{% macro hubspot_merged_row_fate(id_column) %}
    {#- row_fate for a merged record type: a record merged into another is a duplicate of its
        survivor, never a second record (unless it is quarantined, which names why it is bad). -#}
    case
        when merged_into_id is not null and quarantine_reason is null then 'duplicate'
        else {{ row_fate(id_column) }}
    end
{% endmacro %}


{% macro hubspot_engagement_detail_columns() %}
    {#- The columns every engagement detail table (calls, emails, ...) shares with its engagement;
        base_crm__hubspot_engagements prefers the detail's owner and times to the engagement's. -#}
    engagement_id,
    {{ parse_hubspot_timestamp('property_hs_timestamp') }} as occurred_at,
    property_hubspot_owner_id as owner_id,
    {{ parse_hubspot_timestamp('property_hs_createdate') }} as created_at
{% endmacro %}


{% macro hubspot_engagement_detail_audit_columns(timestamp_columns=[]) %}
    {#- System and quarantine columns of an engagement detail table: a row needs its engagement id
        and a readable hs_timestamp, and so every other instant the model reads (timestamp_columns). -#}
    {%- set checks = [
        missing_value('engagement_id', 'missing_id'),
        unreadable_hubspot_timestamp('property_hs_timestamp'),
    ] -%}
    {%- for column in timestamp_columns -%}
        {%- do checks.append(unreadable_hubspot_timestamp(column)) -%}
    {%- endfor -%}
    {{ hubspot_system_columns('property_hs_lastmodifieddate', ['_fivetran_deleted']) }},
    {{ quarantine_columns(checks) }}
{% endmacro %}


{% macro hubspot_engagement_details(details, padded_columns) %}
    {#- The engagement detail tables unioned in one shape, each row tagged with its detail_kind.
        details: (detail_kind, relation, {column: expression}) triples; padded_columns: the
        {column: type} every row carries, NULL of that type where a detail has no expression. -#}
    {%- for kind, relation, values in details %}
    select
        '{{ kind }}' as detail_kind,
        engagement_id,
        occurred_at,
        owner_id,
        created_at,
        is_deleted,
        {%- for column, column_type in padded_columns.items() %}
        {{ values.get(column, 'cast(null as ' ~ column_type ~ ')') }} as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}


{% macro hubspot_primary_association(relation, object_type) %}
    {#- The one record of object_type (company, contact, deal) an engagement is counted against:
        the lowest id once merges resolve, from the association relation (engagement_id,
        <object_type>_id) and the imported merged_records. -#}
    {%- set id_column = object_type ~ '_id' -%}
    select
        {{ relation }}.engagement_id,
        min(coalesce(merged.survivor_id, {{ relation }}.{{ id_column }})) as {{ id_column }}
    from {{ relation }}
    left join merged_records as merged
        on merged.object_type = '{{ object_type }}' and {{ relation }}.{{ id_column }} = merged.merged_id
    group by {{ relation }}.engagement_id
{% endmacro %}
