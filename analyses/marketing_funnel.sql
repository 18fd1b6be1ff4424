{#- Marketing KPIs (Sales Performance Index): lead → MQL → SAL → opportunity conversion by lead
    source, persona (from the lead's title, seed `persona_rules`), industry, employee band and
    country, for leads not deleted and created on or before the as-of date.

    Assumptions, to adjust to your org's lead process (Salesforce's default lead statuses have no
    MQL or SAL step, so the defaults below read them from the status and conversion):
    - MQL: the lead reached a status in var `mql_lead_statuses` — marketing handed it to sales — or is
      converted; by default any status past "Open - Not Contacted".
    - SAL: the lead reached a status in var `sal_lead_statuses` — sales accepted and worked it — or is
      converted. "Closed - Not Converted" is an MQL that sales did not accept.
    - Opportunity: the lead converted with an opportunity (converted_opportunity_id); won when
      that opportunity is won.
    Each stage includes the next (an opportunity is a SAL and an MQL), so rates never exceed 1.
    Statuses are matched lower-cased. Current status only: a lead's history is not in the export. -#}
{%- set mql_statuses = var('mql_lead_statuses') %}
{%- set sal_statuses = var('sal_lead_statuses') %}
{%- set employee_bands = var('employee_bands') %}

with leads as (
    select * from {{ ref('stg_crm__leads') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

persona_rules as (
    select * from {{ ref('persona_rules') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

live_leads as (
    select leads.*
    from leads
    cross join as_of
    where
        not leads.is_deleted
        and {{ to_reporting_date('leads.created_at') }} <= as_of.as_of_date
),

lead_personas as (
    {#- The first persona rule (lowest priority) matching the lead's title, as for contacts. -#}
    select
        live_leads.lead_id,
        persona_rules.persona,
        row_number() over (
            partition by live_leads.lead_id
            order by persona_rules.priority
        ) as rule_rank
    from live_leads
    inner join persona_rules
        on {{ persona_title('live_leads.title') }} like persona_rules.title_pattern
),

staged as (
    select
        live_leads.lead_id,
        coalesce(live_leads.lead_source, 'Unknown') as lead_source,
        coalesce(lead_personas.persona, 'Unknown') as persona,
        coalesce(live_leads.industry, 'Unknown') as industry,
        case
            when live_leads.employee_count is null then 'Unknown'
            {%- for band in employee_bands | reverse %}
                when live_leads.employee_count >= {{ band[1] }} then '{{ band[0] }}'
            {%- endfor %}
            else 'Unknown'
        end as employee_band,
        coalesce(live_leads.country, 'Unknown') as country,
        live_leads.converted_opportunity_id is not null as has_opportunity,
        coalesce(opportunities.is_won, false) as has_won_opportunity,
        (
            coalesce(live_leads.is_converted, false)
            or coalesce(lower(live_leads.lead_status) in {{ sql_list(sal_statuses) }}, false)
        ) as is_sal_status,
        coalesce(lower(live_leads.lead_status) in {{ sql_list(mql_statuses) }}, false)
            as is_mql_status
    from live_leads
    left join lead_personas
        on
            live_leads.lead_id = lead_personas.lead_id
            and lead_personas.rule_rank = 1
    left join opportunities
        on
            live_leads.source_system = opportunities.source_system
            and live_leads.converted_opportunity_id = opportunities.opportunity_id
),

funnel_flags as (
    select
        staged.*,
        staged.is_sal_status or staged.has_opportunity as is_sal,
        staged.is_mql_status or staged.is_sal_status or staged.has_opportunity as is_mql
    from staged
),

by_dimension as (
    {%- set dimensions = ['lead_source', 'persona', 'industry', 'employee_band', 'country'] %}
    {%- for dimension in dimensions %}
        select
            '{{ dimension }}' as dimension,
            {{ dimension }} as dimension_value,
            count(*) as leads,
            sum(case when is_mql then 1 else 0 end) as mqls,
            sum(case when is_sal then 1 else 0 end) as sals,
            sum(case when has_opportunity then 1 else 0 end) as opportunities,
            sum(case when has_won_opportunity then 1 else 0 end) as won_opportunities
        from funnel_flags
        group by {{ dimension }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        by_dimension.*,
        cast(by_dimension.mqls as double precision) / nullif(by_dimension.leads, 0)
            as mql_per_lead,
        cast(by_dimension.sals as double precision) / nullif(by_dimension.mqls, 0)
            as sal_per_mql,
        cast(by_dimension.opportunities as double precision) / nullif(by_dimension.sals, 0)
            as opportunity_per_sal,
        cast(by_dimension.opportunities as double precision) / nullif(by_dimension.leads, 0)
            as opportunity_per_lead,
        cast(by_dimension.won_opportunities as double precision)
        / nullif(by_dimension.opportunities, 0)
            as won_per_opportunity
    from by_dimension
)

select * from final
order by dimension asc, leads desc, dimension_value asc
