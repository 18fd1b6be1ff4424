with source as (
    select * from {{ source('hubspot', 'deal_pipeline_stage') }}
),

typed as (
    select
        pipeline_id || ':' || trim(stage_id) as pipeline_stage_key,
        trim(stage_id) as stage_id,
        pipeline_id,
        trim(label) as stage_label,
        {{ parse_integer('display_order') }} as display_order,
        {{ parse_number('probability', 4) }} as probability,
        {{ parse_boolean('closed_won') }} as is_closed_won,
        coalesce({{ parse_boolean('active') }}, true) as is_active,
        {{ hubspot_system_columns('_fivetran_synced', ['_fivetran_deleted']) }},
        {{ quarantine_columns([
            missing_value('stage_id', 'missing_id'),
            missing_value('pipeline_id'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['pipeline_stage_key']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('pipeline_stage_key') }} as row_fate
from classified
