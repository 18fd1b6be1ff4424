with source as (
    select * from {{ source('salesforce', 'account') }}
),

typed as (
    select
        id as account_id,
        owner_id,
        name as account_name,
        parent_id as parent_account_id,
        type as account_type,
        industry,
        {{ parse_integer('number_of_employees') }} as employee_count,
        {{ parse_number('annual_revenue') }} as annual_revenue,
        billing_country,
        billing_state,
        account_source,
        {#- A score outside 0-100 is not a score: NULL, like an org without the field. -#}
        case
            when {{ parse_number('account_score_c') }} between 0 and 100
                then {{ parse_number('account_score_c') }}
        end as account_score,
        {{ parse_timestamp('created_date') }} as created_at,
        {{ salesforce_system_columns() }},
        {{ quarantine_columns([missing_value('id', 'missing_id')]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['account_id']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('account_id') }} as row_fate
from classified
