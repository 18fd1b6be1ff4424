{#- Account-management KPI (Sales Performance Index): conversations per existing customer per
    month. Customers are accounts whose current account_type is in var `customer_account_types` (not
    deleted); a conversation is a counted conversation of fct_activities (connected call, held
    meeting, inbound reply; completed, not deleted, not internal) on the account. Every customer ×
    month from the first month with any activity in the export to the as-of date, so a customer
    nobody spoke to counts as 0 (months before activity data begins are left out, not shown as 0). The account type is the
    current one: a customer that was a prospect earlier is counted as a customer in every month. -#}
{%- set customer_account_types = var('customer_account_types') %}

with accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

activities as (
    select * from {{ ref('fct_activities') }}
),

months as (
    select * from {{ ref('int_periods_spined') }}
    where period_type = 'month'
),

activity_months as (
    select months.period_start
    from months
    where
        months.period_end >= (
            select min(activities.activity_date) from activities
        )
),

customers as (
    select
        source_system,
        account_id
    from accounts
    where
        not is_deleted
        and lower(account_type) in {{ sql_list(customer_account_types) }}
),

conversations as (
    select
        source_system,
        account_id,
        {{ period_start('activity_date', 'month') }} as month_start
    from activities
    where is_counted_conversation and account_id is not null
),

customer_months as (
    select
        customers.source_system,
        customers.account_id,
        activity_months.period_start as month_start
    from customers
    cross join activity_months
),

per_customer as (
    select
        customer_months.account_id,
        customer_months.month_start,
        count(conversations.account_id) as conversations
    from customer_months
    left join conversations
        on
            customer_months.source_system = conversations.source_system
            and customer_months.account_id = conversations.account_id
            and customer_months.month_start = conversations.month_start
    group by customer_months.account_id, customer_months.month_start
),

final as (
    select
        month_start,
        count(*) as customer_accounts,
        sum(conversations) as conversations,
        cast(sum(conversations) as double precision) / nullif(count(*), 0)
            as conversations_per_customer_account,
        {{ percentile('conversations', 0.5) }} as median_conversations_per_customer_account,
        sum(case when conversations > 0 then 1 else 0 end) as customers_with_a_conversation,
        cast(sum(case when conversations = 0 then 1 else 0 end) as double precision)
        / nullif(count(*), 0) as share_of_customers_without_conversation
    from per_customer
    group by month_start
)

select * from final
order by month_start
