with source as (
    select * from {{ source('hubspot', 'deal_stage') }}
),

typed as (
    select
        {# The entry's identity: a re-sync may write its time as epoch ms or ISO text. #}
        deal_id || ':' || trim(value) || ':'
        || cast({{ parse_hubspot_timestamp('date_entered') }} as {{ dbt.type_string() }})
            as deal_stage_id,
        deal_id,
        trim(value) as stage_id,
        {{ parse_hubspot_timestamp('date_entered') }} as entered_at,
        case
            when not {{ hubspot_is_sentinel('_fivetran_end') }}
                then {{ parse_hubspot_timestamp('_fivetran_end') }}
        end as valid_to,
        (
            {{ hubspot_is_sentinel('_fivetran_end') }}
            or coalesce({{ parse_boolean('_fivetran_active') }}, _fivetran_end is null)
        ) as is_current_version,
        source as change_source,
        source_id as changed_by,
        {{ hubspot_system_columns('_fivetran_start', []) }},
        {{ quarantine_columns([
            missing_value('deal_id'),
            missing_value('value', 'missing_stage'),
            missing_value('date_entered'),
            unreadable_hubspot_timestamp('date_entered'),
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['deal_stage_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('deal_stage_id') }} as row_fate
from classified
