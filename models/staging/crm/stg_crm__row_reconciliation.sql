{#- Where every raw row went, per source table: raw = staged + de-duplicated + quarantined. -#}
{% set crm_tables = crm_base_models() %}

with
{% for table in crm_tables %}
    {{ table.base }} as (
        select * from {{ ref(table.base) }}
    ),
{% endfor %}

{% for staged in crm_tables | map(attribute='staged') | unique %}
    {{ staged }} as (
        select * from {{ ref(staged) }}
    ),
{% endfor %}

quarantined_rows as (
    select * from {{ ref('stg_crm__quarantined_rows') }}
),

counts as (
    {% for table in crm_tables %}
        select
            '{{ table.source }}' as source_system,
            '{{ table.table }}' as source_table,
            (select count(*) from {{ table.base }}) as raw_rows,
            (
                select count(*) from {{ table.staged }}
                where {{ table.staged_filter }}
            )
                as staged_rows,
            (
                select count(*) from {{ table.base }}
                where row_fate = 'duplicate'
            )
                as deduplicated_rows,
            (
                select count(*) from quarantined_rows
                where
                    source_system = '{{ table.source }}'
                    and source_table = '{{ table.table }}'
            ) as quarantined_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source_system,
        source_table,
        cast(raw_rows as bigint) as raw_rows,
        cast(staged_rows as bigint) as staged_rows,
        cast(deduplicated_rows as bigint) as deduplicated_rows,
        cast(quarantined_rows as bigint) as quarantined_rows,
        raw_rows = staged_rows + deduplicated_rows + quarantined_rows as is_reconciled
    from counts
)

select * from final
