with users as (
    select * from {{ ref('stg_salesforce__users') }}
),

user_roles as (
    select * from {{ ref('stg_salesforce__user_roles') }}
),

owners as (
    select * from {{ ref('stg_hubspot__owners') }}
),

team_users as (
    select * from {{ ref('stg_hubspot__team_users') }}
),

teams as (
    select * from {{ ref('stg_hubspot__teams') }}
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

primary_teams as (
    {#- An owner's book comes from their primary team's name ("<segment> <role>"); a user in
        several primary teams takes the first by team name, so the result is one row. -#}
    select
        team_users.user_id,
        teams.team_name,
        row_number() over (
            partition by team_users.user_id
            order by team_users.is_secondary_user, teams.team_name
        ) as team_rank
    from team_users
    inner join teams
        on team_users.team_id = teams.team_id
    where not team_users.is_deleted and not teams.is_deleted
),

hubspot_reps as (
    select
        'hubspot' as source_system,
        owners.owner_id as rep_id,
        nullif(concat_ws(' ', owners.first_name, owners.last_name), '') as rep_name,
        cast(null as {{ dbt.type_string() }}) as manager_id,
        cast(null as {{ dbt.type_string() }}) as manager_name,
        primary_teams.team_name as role_name,
        cast(null as {{ dbt.type_string() }}) as title,
        cast(null as {{ dbt.type_string() }}) as department,
        owners.is_active,
        owners.is_deleted
    from owners
    left join primary_teams
        on
            owners.user_id = primary_teams.user_id
            and primary_teams.team_rank = 1
),

crm_reps as (
    select * from salesforce_reps
    union all
    select * from hubspot_reps
),

books as (
    {#- The rep's book: role and segment from the role name; a role the seed does not know
        falls back to the default book (vars default_rep_role, default_segment), flagged. -#}
    select
        crm_reps.*,
        rep_roles.rep_role is null as is_role_defaulted,
        coalesce(rep_roles.rep_role, '{{ sql_text(var("default_rep_role")) }}') as rep_role,
        coalesce(rep_roles.segment, '{{ sql_text(var("default_segment")) }}') as segment
    from crm_reps
    left join rep_roles
        on {{ match_key('crm_reps.role_name') }} = {{ match_key('rep_roles.role_name') }}
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
