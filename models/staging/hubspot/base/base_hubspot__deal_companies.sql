with source as (
    select * from {{ source('hubspot', 'deal_company') }}
),

typed as (
    select
        deal_id || ':' || company_id as deal_company_id,
        deal_id,
        company_id,
        type_id as association_type_id,
        category as association_category,
        {{ hubspot_system_columns('_fivetran_synced', []) }},
        {{ quarantine_columns([
            missing_value('deal_id'),
            missing_value('company_id'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['deal_company_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('deal_company_id') }} as row_fate
from classified
