{#- Nothing is lost: for every Salesforce table, the rows in the landed export (counted here
    straight from the source, not from any model) equal staged + de-duplicated + quarantined. -#}
{% set salesforce_tables = salesforce_base_models() %}

with raw_counts as (
    {% for table in salesforce_tables %}
        select
            '{{ table.table }}' as source_table,
            count(*) as raw_rows
        from {{ source('salesforce', table.table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

reconciliation as (
    select * from {{ ref('stg_crm__row_reconciliation') }}
    where source_system = 'salesforce'
)

select
    raw_counts.source_table,
    raw_counts.raw_rows,
    reconciliation.staged_rows,
    reconciliation.deduplicated_rows,
    reconciliation.quarantined_rows
from raw_counts
left join reconciliation
    on raw_counts.source_table = reconciliation.source_table
where
    reconciliation.source_table is null
    or raw_counts.raw_rows
    <> reconciliation.staged_rows
    + reconciliation.deduplicated_rows
    + reconciliation.quarantined_rows
