with source as (
    select * from {{ source('hubspot', 'team_user') }}
),

typed as (
    select
        team_id || ':' || user_id as team_user_id,
        team_id,
        user_id,
        coalesce({{ parse_boolean('is_secondary_user') }}, false) as is_secondary_user,
        {{ hubspot_system_columns('_fivetran_synced', ['_fivetran_deleted']) }},
        {{ quarantine_columns([
            missing_value('team_id'),
            missing_value('user_id'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['team_user_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('team_user_id') }} as row_fate
from classified
