{#- The one date every "current", "days since", "open" and "trailing" figure is relative to. -#}
with tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

events as (
    select * from {{ ref('stg_salesforce__events') }}
),

engagements as (
    select * from {{ ref('base_crm__hubspot_engagements') }}
),

logged as (
    {#- When activity was logged: scheduled meetings and mis-dated tasks cannot push it forward. -#}
    select created_at from tasks
    where not is_deleted
    union all
    select created_at from events
    where not is_deleted
    union all
    select created_at from engagements
    where not is_deleted
),

closed_tasks as (
    {#- Exports without created_date fall back to the last day a task was closed. -#}
    select coalesce(completed_at, cast(due_date as timestamp)) as done_at
    from tasks
    where not is_deleted and is_closed
),

derived as (
    select
        coalesce(
            (select max({{ to_reporting_date('created_at') }}) from logged),
            (select max({{ to_reporting_date('done_at') }}) from closed_tasks)
        ) as last_activity_date
),

final as (
    select
        {% if var('as_of_date') is not none -%}
        cast('{{ var("as_of_date") }}' as date) as as_of_date,
        'var' as as_of_date_source,
        {%- else -%}
            last_activity_date as as_of_date,
            'last_activity_date' as as_of_date_source,
        {%- endif %}
        '{{ sql_text(var("reporting_timezone")) }}' as reporting_timezone
    from derived
)

select * from final
