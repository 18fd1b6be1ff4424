with opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

stage_map as (
    select * from {{ ref('stage_map') }}
),

salesforce_opportunities as (
    select
        'salesforce' as source_system,
        opportunity_id,
        account_id,
        owner_id as rep_id,
        stage_name,
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

final as (
    select
        salesforce_opportunities.source_system,
        salesforce_opportunities.opportunity_id,
        salesforce_opportunities.account_id,
        salesforce_opportunities.rep_id,
        salesforce_opportunities.stage_name,
        stage_map.stage_order,
        stage_map.stage_id is not null as is_stage_known,
        {#- A stage missing from the stage map keeps the CRM's own closed/won flags (open when
            the export has none), so the deal is neither dropped nor misfiled. -#}
        coalesce(
            stage_map.is_open,
            not salesforce_opportunities.is_closed,
            true
        ) as is_open,
        coalesce(stage_map.is_won, salesforce_opportunities.is_won, false) as is_won,
        coalesce(
            stage_map.is_lost,
            salesforce_opportunities.is_closed and not salesforce_opportunities.is_won,
            false
        ) as is_lost,
        coalesce(stage_map.is_qualified, false) as is_stage_qualified,
        salesforce_opportunities.amount,
        salesforce_opportunities.is_amount_invalid,
        salesforce_opportunities.close_date,
        salesforce_opportunities.created_at,
        salesforce_opportunities.opportunity_type,
        salesforce_opportunities.lead_source,
        salesforce_opportunities.forecast_category,
        salesforce_opportunities.is_deleted
    from salesforce_opportunities
    left join stage_map
        on
            salesforce_opportunities.source_system = stage_map.source_system
            and {{ match_key('salesforce_opportunities.stage_name') }}
            = {{ match_key('stage_map.stage_id') }}
)

select * from final
