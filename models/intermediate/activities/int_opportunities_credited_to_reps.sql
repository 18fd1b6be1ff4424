{#- One row per opportunity × rep × channel credited with its creation: a rep is credited when
    their touches are attributed to the opportunity (channel `all`), and per channel when touches
    of that channel are. Carries the rep's team and segment so roll-ups can count each
    opportunity once per team / segment (select distinct on the roll-up key). -#}
with attributed as (
    select * from {{ ref('int_activities_attributed_to_opportunities') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_qualified') }}
),

reps as (
    select * from {{ ref('stg_crm__reps') }}
),

rep_channels as (
    select distinct
        source_system,
        opportunity_id,
        rep_id,
        activity_channel as channel
    from attributed
    where rep_id is not null
    union all
    select distinct
        source_system,
        opportunity_id,
        rep_id,
        'all' as channel
    from attributed
    where rep_id is not null
),

final as (
    select
        rep_channels.source_system,
        rep_channels.opportunity_id,
        rep_channels.rep_id,
        rep_channels.channel,
        reps.manager_id,
        reps.manager_name,
        reps.segment,
        opportunities.created_period_start,
        opportunities.is_qualified,
        opportunities.is_won,
        opportunities.won_amount
    from rep_channels
    inner join opportunities
        on
            rep_channels.source_system = opportunities.source_system
            and rep_channels.opportunity_id = opportunities.opportunity_id
    inner join reps
        on
            rep_channels.source_system = reps.source_system
            and rep_channels.rep_id = reps.rep_id
)

select * from final
