{#- An opportunity credited to several reps counts once per roll-up key: the company row of each
    period equals the distinct attributed opportunities created then (credited to a known rep),
    and no team or segment row exceeds it nor falls below its best rep. Returns offending rows. -#}
with rollups as (
    select * from {{ ref('pipeline_conversion_rollups') }}
    where channel = 'all'
),

pipeline_conversion as (
    select * from {{ ref('pipeline_conversion') }}
    where channel = 'all'
),

credits as (
    select * from {{ ref('int_opportunities_credited_to_reps') }}
    where channel = 'all'
),

distinct_opportunities as (
    select
        created_period_start as period_start,
        count(distinct opportunity_id) as opportunities_created
    from credits
    group by created_period_start
),

company as (
    select
        rollups.period_start,
        rollups.opportunities_created
    from rollups
    where rollups.rollup_level = 'company'
),

company_mismatches as (
    select
        company.period_start,
        'company differs from distinct credited opportunities' as problem
    from company
    left join distinct_opportunities
        on company.period_start = distinct_opportunities.period_start
    where company.opportunities_created <> coalesce(distinct_opportunities.opportunities_created, 0)
),

best_rep as (
    select
        manager_id,
        period_start,
        max(opportunities_created) as best_rep_opportunities,
        sum(opportunities_created) as summed_rep_opportunities
    from pipeline_conversion
    group by manager_id, period_start
),

team_mismatches as (
    select
        rollups.period_start,
        'team outside [best rep, sum of reps] or above company' as problem
    from rollups
    inner join best_rep
        on
            rollups.rollup_key = coalesce(best_rep.manager_id, 'no_team')
            and rollups.period_start = best_rep.period_start
    inner join company
        on rollups.period_start = company.period_start
    where
        rollups.rollup_level = 'team'
        and (
            rollups.opportunities_created < best_rep.best_rep_opportunities
            or rollups.opportunities_created > best_rep.summed_rep_opportunities
            or rollups.opportunities_created > company.opportunities_created
        )
)

select * from company_mismatches
union all
select * from team_mismatches
