{#- Nothing is lost: for every table of every CRM source, the rows in the landed export (counted
    here straight from the source, not from any model) equal staged + de-duplicated + quarantined.
    A CRM that is switched off lands empty, so its tables reconcile at zero. -#}
{% set crm_tables = crm_base_models() %}

with raw_counts as (
    {% for table in crm_tables %}
        select
            '{{ table.source }}' as source_system,
            '{{ table.table }}' as source_table,
            count(*) as raw_rows
        from {{ source(table.source, table.table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

reconciliation as (
    select * from {{ ref('stg_crm__row_reconciliation') }}
)

select
    raw_counts.source_system,
    raw_counts.source_table,
    raw_counts.raw_rows,
    reconciliation.staged_rows,
    reconciliation.deduplicated_rows,
    reconciliation.quarantined_rows
from raw_counts
left join reconciliation
    on
        raw_counts.source_system = reconciliation.source_system
        and raw_counts.source_table = reconciliation.source_table
where
    reconciliation.source_table is null
    or raw_counts.raw_rows
    <> reconciliation.staged_rows
    + reconciliation.deduplicated_rows
    + reconciliation.quarantined_rows
