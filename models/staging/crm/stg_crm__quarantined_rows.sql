{#- Every raw row that could not be staged, with a machine-readable reason. Source-level reasons
    (unreadable or missing values) come from the base models; canonical-level ones (an activity
    that points at nothing known, a stage change of an unknown opportunity) from the crm base. -#}
{% set crm_tables = crm_base_models() %}

with
{% for table in crm_tables %}
    {{ table.base }} as (
        select * from {{ ref(table.base) }}
    ),
{% endfor %}

activities as (
    select * from {{ ref('base_crm__activities') }}
),

stage_changes as (
    select * from {{ ref('base_crm__opportunity_stage_changes') }}
),

source_level as (
    {% for table in crm_tables %}
        select
            '{{ table.source }}' as source_system,
            '{{ table.table }}' as source_table,
            cast({{ table.key }} as {{ dbt.type_string() }}) as source_id,
            _source_file as source_file,
            _source_row_number as source_row_number,
            quarantine_reason as reason_code,
            quarantine_detail as reason_detail
        from {{ table.base }}
        where row_fate = 'quarantined'
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

canonical_level as (
    select
        source_system,
        source_table,
        activity_id as source_id,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as bigint) as source_row_number,
        quarantine_reason as reason_code,
        quarantine_detail as reason_detail
    from activities
    where quarantine_reason is not null
    union all
    select
        source_system,
        source_table,
        stage_change_id as source_id,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as bigint) as source_row_number,
        quarantine_reason as reason_code,
        quarantine_detail as reason_detail
    from stage_changes
    where quarantine_reason is not null
),

final as (
    select * from source_level
    union all
    select * from canonical_level
)

select * from final
