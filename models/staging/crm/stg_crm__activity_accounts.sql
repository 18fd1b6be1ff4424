{#- Every account an activity is on: its own account_id (primary) plus, for a HubSpot engagement
    linked to several companies, each other known company once. Account-level metrics count an
    activity once per account through this bridge; totals count stg_crm__activities rows, so a
    multi-company engagement is never counted twice in a total. -#}
with activities as (
    select * from {{ ref('stg_crm__activities') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

engagement_companies as (
    select * from {{ ref('stg_hubspot__engagement_companies') }}
),

merged_records as (
    select * from {{ ref('stg_hubspot__merged_records') }}
),

linked as (
    select
        activities.source_system,
        activities.activity_id,
        activities.account_id
    from activities
    where activities.account_id is not null
    union
    select
        activities.source_system,
        activities.activity_id,
        coalesce(merged.survivor_id, engagement_companies.company_id) as account_id
    from activities
    inner join engagement_companies
        on
            activities.source_system = 'hubspot'
            and activities.activity_id = engagement_companies.engagement_id
    left join merged_records as merged
        on
            merged.object_type = 'company'
            and engagement_companies.company_id = merged.merged_id
),

final as (
    select
        linked.source_system,
        linked.activity_id,
        linked.account_id,
        activities.account_id = linked.account_id as is_primary_account
    from linked
    inner join activities
        on
            linked.source_system = activities.source_system
            and linked.activity_id = activities.activity_id
    inner join accounts
        on
            linked.source_system = accounts.source_system
            and linked.account_id = accounts.account_id
)

select * from final
