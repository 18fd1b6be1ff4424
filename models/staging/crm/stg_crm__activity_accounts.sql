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

primary_links as (
    select
        activities.source_system,
        activities.activity_id,
        activities.account_id,
        true as is_primary_account
    from activities
    inner join accounts
        on
            activities.source_system = accounts.source_system
            and activities.account_id = accounts.account_id
),

engagement_links as (
    select distinct
        activities.source_system,
        activities.activity_id,
        activities.account_id as primary_account_id,
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

other_links as (
    {#- Only the few multi-company engagements reach this join; every activity with an account is
        a primary link above, with no de-duplication over all activities. -#}
    select
        engagement_links.source_system,
        engagement_links.activity_id,
        engagement_links.account_id,
        false as is_primary_account
    from engagement_links
    inner join accounts
        on
            engagement_links.source_system = accounts.source_system
            and engagement_links.account_id = accounts.account_id
    where
        engagement_links.primary_account_id is null
        or engagement_links.account_id <> engagement_links.primary_account_id
),

final as (
    select * from primary_links
    union all
    select * from other_links
)

select * from final
