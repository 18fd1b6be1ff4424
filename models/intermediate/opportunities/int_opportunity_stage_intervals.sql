{#- One row per opportunity × stage entry. A history row opens an entry when its stage differs from
    the previous live history row's (rows that change only the amount or the close date repeat the
    stage and open nothing). The opportunity's current stage closes the sequence when the history
    does not end in it; an opportunity without history has one entry from its creation. -#}
with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

stage_changes as (
    select * from {{ ref('stg_crm__opportunity_stage_changes') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

history as (
    {#- Live history rows in the order they happened; rows in the same second by their id. -#}
    select
        source_system,
        opportunity_id,
        stage_change_id,
        stage_name,
        {{ match_key('stage_name') }} as stage_key,
        stage_order,
        is_stage_known,
        is_open as is_open_stage,
        is_won as is_won_stage,
        is_lost as is_lost_stage,
        is_stage_qualified,
        changed_at,
        row_number() over (
            partition by source_system, opportunity_id
            order by changed_at asc, stage_change_id asc
        ) as history_position,
        row_number() over (
            partition by source_system, opportunity_id
            order by changed_at desc, stage_change_id desc
        ) as recency_position,
        lag({{ match_key('stage_name') }}) over (
            partition by source_system, opportunity_id
            order by changed_at asc, stage_change_id asc
        ) as previous_stage_key
    from stage_changes
    where not is_deleted
),

latest_history as (
    select
        source_system,
        opportunity_id,
        stage_key,
        changed_at
    from history
    where recency_position = 1
),

history_entries as (
    select
        source_system,
        opportunity_id,
        stage_change_id,
        'history' as entry_source,
        0 as source_rank,
        stage_name,
        stage_key,
        stage_order,
        is_stage_known,
        is_open_stage,
        is_won_stage,
        is_lost_stage,
        is_stage_qualified,
        changed_at as entered_at
    from history
    where
        history_position = 1
        or previous_stage_key is distinct from stage_key
),

current_stage_entries as (
    {#- The current stage when the history does not end in it: from the creation when there is no
        history at all; else from the last change the canonical layer knows (the latest history
        row), which is the earliest moment the deal can have entered it. -#}
    select
        opportunities.source_system,
        opportunities.opportunity_id,
        cast(null as {{ dbt.type_string() }}) as stage_change_id,
        case
            when latest_history.opportunity_id is null then 'created_without_history'
            else 'current_stage_not_in_history'
        end as entry_source,
        1 as source_rank,
        opportunities.stage_name,
        {{ match_key('opportunities.stage_name') }} as stage_key,
        opportunities.stage_order,
        opportunities.is_stage_known,
        opportunities.is_open as is_open_stage,
        opportunities.is_won as is_won_stage,
        opportunities.is_lost as is_lost_stage,
        opportunities.is_stage_qualified,
        case
            when latest_history.opportunity_id is null then opportunities.created_at
            else greatest(latest_history.changed_at, opportunities.created_at)
        end as entered_at
    from opportunities
    left join latest_history
        on
            opportunities.source_system = latest_history.source_system
            and opportunities.opportunity_id = latest_history.opportunity_id
    where
        latest_history.opportunity_id is null
        or latest_history.stage_key is distinct from {{ match_key('opportunities.stage_name') }}
),

entries as (
    select * from history_entries
    union all
    select * from current_stage_entries
),

sequenced as (
    select
        entries.*,
        row_number() over (
            partition by entries.source_system, entries.opportunity_id
            order by entries.entered_at asc, entries.source_rank asc, entries.stage_change_id asc
        ) as entry_number,
        row_number() over (
            partition by entries.source_system, entries.opportunity_id, entries.stage_key
            order by entries.entered_at asc, entries.source_rank asc, entries.stage_change_id asc
        ) as stage_entry_number,
        lead(entries.entered_at) over (
            partition by entries.source_system, entries.opportunity_id
            order by entries.entered_at asc, entries.source_rank asc, entries.stage_change_id asc
        ) as exited_at,
        lag(entries.stage_order) over (
            partition by entries.source_system, entries.opportunity_id
            order by entries.entered_at asc, entries.source_rank asc, entries.stage_change_id asc
        ) as previous_stage_order,
        lag(entries.is_open_stage) over (
            partition by entries.source_system, entries.opportunity_id
            order by entries.entered_at asc, entries.source_rank asc, entries.stage_change_id asc
        ) as is_previous_stage_open
    from entries
),

dated as (
    select
        sequenced.*,
        as_of.as_of_date,
        {{ to_reporting_date('sequenced.entered_at') }} as entered_date,
        {{ to_reporting_date('sequenced.exited_at') }} as exited_date
    from sequenced
    cross join as_of
),

timed as (
    {#- Calendar days between reporting dates: the entry day is not counted, the exit day is
        (entered and left on the same day = 0); the open interval runs to as_of_date. -#}
    select
        dated.*,
        {{ dbt.datediff(
            'dated.entered_date',
            'coalesce(dated.exited_date, dated.as_of_date)',
            'day'
        ) }} as days_in_stage
    from dated
),

final as (
    select
        source_system,
        opportunity_id,
        entry_number,
        stage_change_id,
        entry_source,
        stage_name,
        stage_order,
        is_stage_known,
        is_open_stage,
        is_won_stage,
        is_lost_stage,
        coalesce(is_stage_qualified, false) as is_stage_qualified,
        entered_at,
        exited_at,
        entered_date,
        exited_date,
        days_in_stage,
        stage_entry_number,
        sum(days_in_stage) over (
            partition by source_system, opportunity_id, stage_key
            order by entry_number asc
            rows between unbounded preceding and current row
        ) as cumulative_days_in_stage,
        coalesce(stage_order < previous_stage_order, false) as is_regression,
        coalesce(
            is_open_stage and is_previous_stage_open and stage_order > previous_stage_order + 1,
            false
        ) as is_skip,
        exited_at is null as is_current
    from timed
)

select * from final
