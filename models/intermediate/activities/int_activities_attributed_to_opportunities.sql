{#- One row per (opportunity, touch) that the opportunity's creation is attributed to: a touch on
    the opportunity's account whose activity_at lies in the var `attribution_lookback_days` days
    before the opportunity's created_at, both ends included:
    created_at - N days <= activity_at <= created_at. -#}
with activities as (
    select * from {{ ref('stg_crm__activities') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

live_opportunities as (
    {#- Deleted opportunities never count; nor do ones created after the as-of date. -#}
    select opportunities.*
    from opportunities
    cross join as_of
    where
        not opportunities.is_deleted
        and {{ to_reporting_date('opportunities.created_at') }} <= as_of.as_of_date
),

touches as (
    select * from activities
    where is_touch
),

attributed as (
    select
        live_opportunities.source_system,
        live_opportunities.opportunity_id,
        touches.activity_id,
        live_opportunities.account_id,
        live_opportunities.rep_id as opportunity_rep_id,
        live_opportunities.created_at as opportunity_created_at,
        touches.rep_id,
        touches.activity_channel,
        touches.direction,
        touches.contact_id,
        touches.activity_at,
        touches.activity_date,
        {{ dbt.datediff('touches.activity_at', 'live_opportunities.created_at', 'day') }}
            as days_before_creation
    from live_opportunities
    inner join touches
        on
            live_opportunities.source_system = touches.source_system
            and live_opportunities.account_id = touches.account_id
            and live_opportunities.created_at >= touches.activity_at
            and {{ dbt.dateadd(
                'day', -1 * var('attribution_lookback_days'), 'live_opportunities.created_at'
            ) }} <= touches.activity_at
),

final as (
    select
        attributed.*,
        {#- 1 = the first touch in the window; reverse 1 = the last touch before creation. -#}
        row_number() over (
            partition by attributed.source_system, attributed.opportunity_id
            order by attributed.activity_at, attributed.activity_id
        ) as touch_number,
        row_number() over (
            partition by attributed.source_system, attributed.opportunity_id
            order by attributed.activity_at desc, attributed.activity_id desc
        ) as reverse_touch_number
    from attributed
)

select * from final
