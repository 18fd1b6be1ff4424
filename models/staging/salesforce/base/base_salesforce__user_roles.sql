with source as (
    select * from {{ source('salesforce', 'user_role') }}
),

typed as (
    select
        id as user_role_id,
        trim(name) as role_name,
        parent_role_id,
        {{ salesforce_system_columns(['_fivetran_deleted']) }},
        {{ quarantine_columns([missing_value('id', 'missing_id'), missing_value('name')]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['user_role_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('user_role_id') }} as row_fate
from classified
