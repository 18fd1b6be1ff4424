with users as (
    select * from {{ ref('stg_salesforce__users') }}
),

user_roles as (
    select * from {{ ref('stg_salesforce__user_roles') }}
),

rep_roles as (
    select * from {{ ref('rep_roles') }}
),

salesforce_reps as (
    select
        'salesforce' as source_system,
        users.user_id as rep_id,
        users.user_name as rep_name,
        users.manager_id,
        managers.user_name as manager_name,
        user_roles.role_name,
        users.title,
        users.department,
        users.is_active,
        users.is_deleted
    from users
    left join user_roles
        on users.user_role_id = user_roles.user_role_id
    left join users as managers
        on users.manager_id = managers.user_id
),

books as (
    {#- The rep's book: role and segment from the role name; a role the seed does not know
        falls back to the default book (vars default_rep_role, default_segment), flagged. -#}
    select
        salesforce_reps.*,
        rep_roles.rep_role is null as is_role_defaulted,
        coalesce(rep_roles.rep_role, '{{ sql_text(var("default_rep_role")) }}') as rep_role,
        coalesce(rep_roles.segment, '{{ sql_text(var("default_segment")) }}') as segment
    from salesforce_reps
    left join rep_roles
        on {{ match_key('salesforce_reps.role_name') }} = {{ match_key('rep_roles.role_name') }}
),

capacities as (
    select
        rep_role,
        segment,
        max(account_capacity) as account_capacity
    from rep_roles
    where segment is not null
    group by rep_role, segment
),

final as (
    select
        books.source_system,
        books.rep_id,
        books.rep_name,
        books.manager_id,
        books.manager_name,
        books.role_name,
        books.rep_role,
        books.segment,
        capacities.account_capacity,
        books.is_role_defaulted,
        books.title,
        books.department,
        books.is_active,
        books.is_deleted
    from books
    left join capacities
        on
            books.rep_role = capacities.rep_role
            and books.segment = capacities.segment
)

select * from final
