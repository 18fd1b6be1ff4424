with source as (
    select * from {{ source('hubspot', 'team') }}
),

typed as (
    select
        id as team_id,
        trim(name) as team_name,
        {{ hubspot_system_columns('_fivetran_synced', ['_fivetran_deleted']) }},
        {{ quarantine_columns([
            missing_value('id', 'missing_id'),
            missing_value('name'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['team_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('team_id') }} as row_fate
from classified
