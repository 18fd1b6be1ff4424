with history as (
    select * from {{ ref('stg_salesforce__opportunity_history') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

stage_map as (
    select * from {{ ref('stage_map') }}
),

salesforce_changes as (
    select
        'salesforce' as source_system,
        'opportunity_history' as source_table,
        opportunity_history_id as stage_change_id,
        opportunity_id,
        stage_name,
        amount,
        close_date,
        changed_at,
        changed_by_user_id,
        is_deleted
    from history
),

final as (
    select
        salesforce_changes.*,
        stage_map.stage_order,
        stage_map.stage_id is not null as is_stage_known,
        stage_map.is_open,
        stage_map.is_won,
        stage_map.is_lost,
        stage_map.is_qualified as is_stage_qualified,
        case
            when opportunities.opportunity_id is null then 'unknown_opportunity'
        end as quarantine_reason,
        case
            when opportunities.opportunity_id is null
                then
                    'opportunity_id = '
                    || salesforce_changes.opportunity_id
                    || ' is not a known opportunity'
        end as quarantine_detail
    from salesforce_changes
    left join opportunities
        on
            salesforce_changes.opportunity_id = opportunities.opportunity_id
            and salesforce_changes.source_system = opportunities.source_system
    left join stage_map
        on
            salesforce_changes.source_system = stage_map.source_system
            and {{ match_key('salesforce_changes.stage_name') }}
            = {{ match_key('stage_map.stage_id') }}
)

select * from final
