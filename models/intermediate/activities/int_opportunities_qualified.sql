{#- One row per live opportunity (not deleted, created on or before the as-of date) with what the
    conversion funnel needs: its creation period, whether it ever reached a qualified stage, won,
    won amount, and whether activity is attributed to it. -#}
with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

stage_changes as (
    select * from {{ ref('stg_crm__opportunity_stage_changes') }}
),

attributed as (
    select * from {{ ref('int_activities_attributed_to_opportunities') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

live_opportunities as (
    select
        opportunities.*,
        {{ to_reporting_date('opportunities.created_at') }} as created_date
    from opportunities
    cross join as_of
    where
        not opportunities.is_deleted
        and {{ to_reporting_date('opportunities.created_at') }} <= as_of.as_of_date
),

qualified_in_history as (
    {#- A history row in a qualified stage, recorded on or before the as-of date. -#}
    select distinct
        stage_changes.source_system,
        stage_changes.opportunity_id
    from stage_changes
    cross join as_of
    where
        not stage_changes.is_deleted
        and coalesce(stage_changes.is_stage_qualified, false)
        and {{ to_reporting_date('stage_changes.changed_at') }} <= as_of.as_of_date
),

attributed_counts as (
    select
        source_system,
        opportunity_id,
        count(*) as attributed_touches,
        count(distinct rep_id) as attributed_reps
    from attributed
    group by source_system, opportunity_id
),

final as (
    select
        live_opportunities.source_system,
        live_opportunities.opportunity_id,
        live_opportunities.account_id,
        live_opportunities.rep_id,
        live_opportunities.stage_name,
        live_opportunities.created_at,
        live_opportunities.created_date,
        {{ period_start('live_opportunities.created_date') }} as created_period_start,
        {#- Qualified: any history row or the current stage is qualified; a won deal is
            qualified by definition (so won is always a subset of qualified). -#}
        (
            qualified_in_history.opportunity_id is not null
            or live_opportunities.is_stage_qualified
            or live_opportunities.is_won
        ) as is_qualified,
        live_opportunities.is_open,
        live_opportunities.is_won,
        live_opportunities.is_lost,
        live_opportunities.amount,
        cast(
            case
                when live_opportunities.is_won then coalesce(live_opportunities.amount, 0)
                else 0
            end as decimal(18, 2)
        ) as won_amount,
        live_opportunities.is_won and live_opportunities.amount is null as is_won_amount_missing,
        cast(coalesce(attributed_counts.attributed_touches, 0) as bigint) as attributed_touches,
        cast(coalesce(attributed_counts.attributed_reps, 0) as bigint) as attributed_reps,
        attributed_counts.opportunity_id is not null as is_attributed
    from live_opportunities
    left join qualified_in_history
        on
            live_opportunities.source_system = qualified_in_history.source_system
            and live_opportunities.opportunity_id = qualified_in_history.opportunity_id
    left join attributed_counts
        on
            live_opportunities.source_system = attributed_counts.source_system
            and live_opportunities.opportunity_id = attributed_counts.opportunity_id
)

select * from final
