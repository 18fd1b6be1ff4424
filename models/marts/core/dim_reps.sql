with reps as (
    select * from {{ ref('stg_crm__reps') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

owned as (
    select
        rep_id,
        count(*) as owned_account_count
    from accounts
    where not is_deleted and rep_id is not null
    group by rep_id
),

final as (
    select
        reps.rep_id,
        reps.source_system,
        reps.rep_name,
        reps.manager_id,
        reps.manager_name,
        reps.role_name,
        reps.rep_role,
        reps.segment,
        reps.account_capacity,
        reps.is_role_defaulted,
        reps.is_active,
        reps.is_deleted,
        cast(coalesce(owned.owned_account_count, 0) as bigint) as owned_account_count,
        coalesce(owned.owned_account_count, 0) > reps.account_capacity as is_book_over_capacity
    from reps
    left join owned
        on reps.rep_id = owned.rep_id
)

select * from final
