with source as (
    select * from {{ source('hubspot', 'deal_contact') }}
),

typed as (
    select
        deal_id || ':' || contact_id as deal_contact_id,
        deal_id,
        contact_id,
        type_id as association_type_id,
        category as association_category,
        {{ hubspot_system_columns('_fivetran_synced', []) }},
        {{ quarantine_columns([
            missing_value('deal_id'),
            missing_value('contact_id'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['deal_contact_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('deal_contact_id') }} as row_fate
from classified
