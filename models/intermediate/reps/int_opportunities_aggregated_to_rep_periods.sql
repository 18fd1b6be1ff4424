{#- The owner's view of pipeline: opportunities a rep owns, counted in the period they were created
    (pipeline created) and in the period they closed (wins and losses by close date). -#}
with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where not is_deleted and rep_id is not null
),

events as (
    select
        rep_id,
        {{ period_start(to_reporting_date('created_at')) }} as period_start,
        1 as created_count,
        coalesce(amount, 0) as created_amount,
        0 as won_count,
        0 as won_amount,
        0 as lost_count,
        0 as lost_amount
    from opportunities
    union all
    select
        rep_id,
        {{ period_start('close_date') }} as period_start,
        0 as created_count,
        0 as created_amount,
        case when is_won then 1 else 0 end as won_count,
        case when is_won then coalesce(amount, 0) else 0 end as won_amount,
        case when is_lost then 1 else 0 end as lost_count,
        case when is_lost then coalesce(amount, 0) else 0 end as lost_amount
    from opportunities
    where (is_won or is_lost) and close_date is not null
),

final as (
    select
        rep_id,
        period_start,
        cast(sum(created_count) as bigint) as opportunities_created_owned,
        cast(sum(created_amount) as decimal(18, 2)) as pipeline_created_amount,
        cast(sum(won_count) as bigint) as opportunities_won,
        cast(sum(won_amount) as decimal(18, 2)) as won_amount,
        cast(sum(lost_count) as bigint) as opportunities_lost,
        cast(sum(lost_amount) as decimal(18, 2)) as lost_amount
    from events
    group by rep_id, period_start
)

select * from final
