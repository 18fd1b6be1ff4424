{#- One row per opportunity: how its expected close date moved. The sequence is the close date of
    every live history row (in the order the rows happened; same-second rows by their id), then the
    opportunity's current close date; each later date than the one before is a push, each earlier
    date a pull-in. Rows without a readable close date are skipped. -#}
with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

stage_changes as (
    select * from {{ ref('stg_crm__opportunity_stage_changes') }}
),

close_dates as (
    select
        source_system,
        opportunity_id,
        stage_change_id,
        0 as source_rank,
        changed_at,
        close_date
    from stage_changes
    where not is_deleted and close_date is not null
    union all
    select
        source_system,
        opportunity_id,
        cast(null as {{ dbt.type_string() }}) as stage_change_id,
        1 as source_rank,
        cast(null as {{ dbt.type_timestamp() }}) as changed_at,
        close_date
    from opportunities
    where close_date is not null
),

sequenced as (
    select
        source_system,
        opportunity_id,
        changed_at,
        close_date,
        row_number() over (
            partition by source_system, opportunity_id
            order by source_rank asc, changed_at asc, stage_change_id asc
        ) as close_date_position,
        lag(close_date) over (
            partition by source_system, opportunity_id
            order by source_rank asc, changed_at asc, stage_change_id asc
        ) as previous_close_date
    from close_dates
),

moves as (
    select
        source_system,
        opportunity_id,
        max(case when close_date_position = 1 then close_date end) as first_close_date,
        sum(case when close_date > previous_close_date then 1 else 0 end)
            as close_date_push_count,
        sum(case when close_date < previous_close_date then 1 else 0 end)
            as close_date_pull_in_count
    from sequenced
    group by source_system, opportunity_id
),

final as (
    select
        opportunities.source_system,
        opportunities.opportunity_id,
        moves.first_close_date,
        opportunities.close_date as current_close_date,
        cast(coalesce(moves.close_date_push_count, 0) as bigint) as close_date_push_count,
        cast(coalesce(moves.close_date_pull_in_count, 0) as bigint) as close_date_pull_in_count,
        {{ dbt.datediff('moves.first_close_date', 'opportunities.close_date', 'day') }}
            as close_date_net_slip_days
    from opportunities
    left join moves
        on
            opportunities.source_system = moves.source_system
            and opportunities.opportunity_id = moves.opportunity_id
)

select * from final
