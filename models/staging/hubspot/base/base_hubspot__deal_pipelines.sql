with source as (
    select * from {{ source('hubspot', 'deal_pipeline') }}
),

typed as (
    select
        pipeline_id,
        label as pipeline_label,
        {{ parse_integer('display_order') }} as display_order,
        coalesce({{ parse_boolean('active') }}, true) as is_active,
        {{ hubspot_system_columns('_fivetran_synced', ['_fivetran_deleted']) }},
        {{ quarantine_columns([
            missing_value('pipeline_id', 'missing_id'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['pipeline_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('pipeline_id') }} as row_fate
from classified
