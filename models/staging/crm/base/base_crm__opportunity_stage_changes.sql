with history as (
    select * from {{ ref('stg_salesforce__opportunity_history') }}
),

deal_stages as (
    select * from {{ ref('stg_hubspot__deal_stages') }}
),

deals as (
    select * from {{ ref('stg_hubspot__deals') }}
),

pipeline_stages as (
    select * from {{ ref('stg_hubspot__deal_pipeline_stages') }}
),

merged_records as (
    select * from {{ ref('stg_hubspot__merged_records') }}
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

hubspot_changes as (
    {#- One row per stage a deal entered; the stage is named by its label in the deal's pipeline
        when known. A deal merged away hands its history to the survivor. -#}
    select
        'hubspot' as source_system,
        'deal_stage' as source_table,
        deal_stages.deal_stage_id as stage_change_id,
        coalesce(merged_deals.survivor_id, deal_stages.deal_id) as opportunity_id,
        coalesce(pipeline_stages.stage_label, deal_stages.stage_id) as stage_name,
        deal_stages.stage_id,
        cast(null as decimal(18, 2)) as amount,
        cast(null as date) as close_date,
        deal_stages.entered_at as changed_at,
        deal_stages.changed_by as changed_by_user_id,
        deal_stages.is_deleted
    from deal_stages
    left join merged_records as merged_deals
        on
            merged_deals.object_type = 'deal'
            and deal_stages.deal_id = merged_deals.merged_id
    left join deals
        on coalesce(merged_deals.survivor_id, deal_stages.deal_id) = deals.deal_id
    left join pipeline_stages
        on
            deals.pipeline_id = pipeline_stages.pipeline_id
            and deal_stages.stage_id = pipeline_stages.stage_id
),

crm_changes as (
    select
        source_system,
        source_table,
        stage_change_id,
        opportunity_id,
        stage_name,
        stage_name as stage_id,
        amount,
        close_date,
        changed_at,
        changed_by_user_id,
        is_deleted
    from salesforce_changes
    union all
    select * from hubspot_changes
),

stage_matches as (
    {{ stage_map_matches('crm_changes', 'stage_change_id') }}
),

final as (
    select
        crm_changes.source_system,
        crm_changes.source_table,
        crm_changes.stage_change_id,
        crm_changes.opportunity_id,
        crm_changes.stage_name,
        crm_changes.amount,
        crm_changes.close_date,
        crm_changes.changed_at,
        crm_changes.changed_by_user_id,
        crm_changes.is_deleted,
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
                    || crm_changes.opportunity_id
                    || ' is not a known opportunity'
        end as quarantine_detail
    from crm_changes
    left join opportunities
        on
            crm_changes.opportunity_id = opportunities.opportunity_id
            and crm_changes.source_system = opportunities.source_system
    left join stage_matches
        on
            crm_changes.source_system = stage_matches.source_system
            and crm_changes.stage_change_id = stage_matches.stage_change_id
            and stage_matches.match_rank = 1
    left join stage_map
        on
            stage_matches.source_system = stage_map.source_system
            and stage_matches.map_stage_id = stage_map.stage_id
)

select * from final
