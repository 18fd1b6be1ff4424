with opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

deals as (
    select * from {{ ref('stg_hubspot__deals') }}
),

deal_companies as (
    select * from {{ ref('stg_hubspot__deal_companies') }}
),

pipeline_stages as (
    select * from {{ ref('stg_hubspot__deal_pipeline_stages') }}
),

merged_records as (
    select * from {{ ref('stg_hubspot__merged_records') }}
),

stage_map as (
    select * from {{ ref('stage_map') }}
),

salesforce_opportunities as (
    {#- Salesforce names a stage by its label only: the label is also the id the map matches. -#}
    select
        'salesforce' as source_system,
        opportunity_id,
        account_id,
        owner_id as rep_id,
        stage_name,
        stage_name as stage_id,
        amount,
        is_amount_invalid,
        close_date,
        created_at,
        opportunity_type,
        lead_source,
        is_closed,
        is_won,
        forecast_category,
        is_deleted
    from opportunities
),

deal_accounts as (
    {#- A deal's account: its primary company association (type {{ var('hubspot_primary_deal_company_type_id') }}),
        else the lowest associated company id; merged-away companies resolve to the survivor. -#}
    select
        deal_companies.deal_id,
        coalesce(merged_companies.survivor_id, deal_companies.company_id) as account_id,
        row_number() over (
            partition by deal_companies.deal_id
            order by
                case
                    when
                        deal_companies.association_type_id
                        = '{{ var("hubspot_primary_deal_company_type_id") }}'
                        then 0
                    else 1
                end,
                deal_companies.company_id
        ) as company_rank
    from deal_companies
    left join merged_records as merged_companies
        on
            merged_companies.object_type = 'company'
            and deal_companies.company_id = merged_companies.merged_id
),

hubspot_opportunities as (
    {#- The stage is named by its label when the pipeline knows it, else by its id; the stage map
        is matched on either (see final). -#}
    select
        'hubspot' as source_system,
        deals.deal_id as opportunity_id,
        deal_accounts.account_id,
        deals.owner_id as rep_id,
        coalesce(pipeline_stages.stage_label, deals.pipeline_stage_id) as stage_name,
        deals.pipeline_stage_id as stage_id,
        deals.amount,
        deals.is_amount_invalid,
        deals.close_date,
        deals.created_at,
        deals.deal_type as opportunity_type,
        deals.lead_source,
        {#- HubSpot closes a stage at probability 0 (lost) or 1 (won). -#}
        pipeline_stages.probability in (0, 1) as is_closed,
        coalesce(pipeline_stages.is_closed_won, pipeline_stages.probability = 1) as is_won,
        cast(null as {{ dbt.type_string() }}) as forecast_category,
        deals.is_deleted
    from deals
    left join deal_accounts
        on
            deals.deal_id = deal_accounts.deal_id
            and deal_accounts.company_rank = 1
    left join pipeline_stages
        on
            deals.pipeline_id = pipeline_stages.pipeline_id
            and deals.pipeline_stage_id = pipeline_stages.stage_id
),

crm_opportunities as (
    select * from salesforce_opportunities
    union all
    select * from hubspot_opportunities
),

stage_matches as (
    {{ stage_map_matches('crm_opportunities', 'opportunity_id') }}
),

final as (
    select
        crm_opportunities.source_system,
        crm_opportunities.opportunity_id,
        crm_opportunities.account_id,
        crm_opportunities.rep_id,
        crm_opportunities.stage_name,
        stage_map.stage_order,
        stage_map.stage_id is not null as is_stage_known,
        {#- A stage missing from the stage map keeps the CRM's own closed/won flags (open when
            the export has none), so the deal is neither dropped nor misfiled. -#}
        coalesce(
            stage_map.is_open,
            not crm_opportunities.is_closed,
            true
        ) as is_open,
        coalesce(stage_map.is_won, crm_opportunities.is_won, false) as is_won,
        coalesce(
            stage_map.is_lost,
            crm_opportunities.is_closed and not crm_opportunities.is_won,
            false
        ) as is_lost,
        coalesce(stage_map.is_qualified, false) as is_stage_qualified,
        crm_opportunities.amount,
        crm_opportunities.is_amount_invalid,
        crm_opportunities.close_date,
        crm_opportunities.created_at,
        crm_opportunities.opportunity_type,
        crm_opportunities.lead_source,
        crm_opportunities.forecast_category,
        crm_opportunities.is_deleted
    from crm_opportunities
    left join stage_matches
        on
            crm_opportunities.source_system = stage_matches.source_system
            and crm_opportunities.opportunity_id = stage_matches.opportunity_id
            and stage_matches.match_rank = 1
    left join stage_map
        on
            stage_matches.source_system = stage_map.source_system
            and stage_matches.map_stage_id = stage_map.stage_id
)

select * from final
