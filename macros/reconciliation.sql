{% macro salesforce_base_models() %}
    {#- Every Salesforce source table with its base model, record key and the canonical model its
        staged rows land in (and the filter that picks them there). One list drives the
        quarantine union and the reconciliation, so a new object cannot be left out of one. -#}
    {{ return([
        {'table': 'user', 'base': 'base_salesforce__users', 'key': 'user_id',
         'staged': 'stg_crm__reps', 'staged_filter': "source_system = 'salesforce'"},
        {'table': 'user_role', 'base': 'base_salesforce__user_roles', 'key': 'user_role_id',
         'staged': 'stg_salesforce__user_roles', 'staged_filter': 'true'},
        {'table': 'account', 'base': 'base_salesforce__accounts', 'key': 'account_id',
         'staged': 'stg_crm__accounts', 'staged_filter': "source_system = 'salesforce'"},
        {'table': 'contact', 'base': 'base_salesforce__contacts', 'key': 'contact_id',
         'staged': 'stg_crm__contacts', 'staged_filter': "source_system = 'salesforce'"},
        {'table': 'lead', 'base': 'base_salesforce__leads', 'key': 'lead_id',
         'staged': 'stg_crm__leads', 'staged_filter': "source_system = 'salesforce'"},
        {'table': 'task', 'base': 'base_salesforce__tasks', 'key': 'task_id',
         'staged': 'stg_crm__activities', 'staged_filter': "source_system = 'salesforce' and source_table = 'task'"},
        {'table': 'event', 'base': 'base_salesforce__events', 'key': 'event_id',
         'staged': 'stg_crm__activities', 'staged_filter': "source_system = 'salesforce' and source_table = 'event'"},
        {'table': 'opportunity', 'base': 'base_salesforce__opportunities', 'key': 'opportunity_id',
         'staged': 'stg_crm__opportunities', 'staged_filter': "source_system = 'salesforce'"},
        {'table': 'opportunity_history', 'base': 'base_salesforce__opportunity_history',
         'key': 'opportunity_history_id', 'staged': 'stg_crm__opportunity_stage_changes',
         'staged_filter': "source_system = 'salesforce'"},
        {'table': 'quota', 'base': 'base_salesforce__quotas', 'key': 'user_id',
         'staged': 'stg_crm__quotas', 'staged_filter': "source_system = 'salesforce'"},
    ]) }}
{% endmacro %}


{% macro hubspot_base_models() %}
    {#- Every HubSpot source table, as salesforce_base_models(). Tables that only describe or link
        other records (engagement details, associations, teams, pipelines) are "staged" when their
        row is kept in its stg_hubspot__ model, where the canonical layer reads it. -#}
    {% set own = [
        ('team', 'teams', 'team_id'), ('team_user', 'team_users', 'team_user_id'),
        ('deal_pipeline', 'deal_pipelines', 'pipeline_id'),
        ('deal_pipeline_stage', 'deal_pipeline_stages', 'pipeline_stage_key'),
        ('deal_company', 'deal_companies', 'deal_company_id'),
        ('deal_contact', 'deal_contacts', 'deal_contact_id'),
        ('engagement_call', 'engagement_calls', 'engagement_id'),
        ('engagement_email', 'engagement_emails', 'engagement_id'),
        ('engagement_meeting', 'engagement_meetings', 'engagement_id'),
        ('engagement_note', 'engagement_notes', 'engagement_id'),
        ('engagement_task', 'engagement_tasks', 'engagement_id'),
        ('engagement_communication', 'engagement_communications', 'engagement_id'),
        ('engagement_company', 'engagement_companies', 'engagement_company_id'),
        ('engagement_contact', 'engagement_contacts', 'engagement_contact_id'),
        ('engagement_deal', 'engagement_deals', 'engagement_deal_id'),
    ] %}
    {% set tables = [
        {'table': 'owner', 'base': 'base_hubspot__owners', 'key': 'owner_id',
         'staged': 'stg_crm__reps', 'staged_filter': "source_system = 'hubspot'"},
        {'table': 'company', 'base': 'base_hubspot__companies', 'key': 'company_id',
         'staged': 'stg_crm__accounts', 'staged_filter': "source_system = 'hubspot'"},
        {'table': 'contact', 'base': 'base_hubspot__contacts', 'key': 'contact_id',
         'staged': 'stg_crm__contacts', 'staged_filter': "source_system = 'hubspot'"},
        {'table': 'deal', 'base': 'base_hubspot__deals', 'key': 'deal_id',
         'staged': 'stg_crm__opportunities', 'staged_filter': "source_system = 'hubspot'"},
        {'table': 'deal_stage', 'base': 'base_hubspot__deal_stages', 'key': 'deal_stage_id',
         'staged': 'stg_crm__opportunity_stage_changes', 'staged_filter': "source_system = 'hubspot'"},
        {'table': 'engagement', 'base': 'base_hubspot__engagements', 'key': 'engagement_id',
         'staged': 'stg_crm__activities',
         'staged_filter': "source_system = 'hubspot' and source_table = 'engagement'"},
    ] %}
    {% for table, plural, key in own %}
        {% do tables.append({'table': table, 'base': 'base_hubspot__' ~ plural, 'key': key,
                             'staged': 'stg_hubspot__' ~ plural, 'staged_filter': 'true'}) %}
    {% endfor %}
    {{ return(tables) }}
{% endmacro %}


{% macro crm_base_models() %}
    {#- Every table of every enabled CRM source, each entry as salesforce_base_models() plus
        `source`. A CRM that is switched off lands empty and is left out, so the reconciliation
        lists only the exports that were read. -#}
    {% set tables = [] %}
    {% for source_name, source_tables in [('salesforce', salesforce_base_models()),
                                          ('hubspot', hubspot_base_models())]
           if var(source_name ~ '_enabled') %}
        {% for table in source_tables %}
            {% do tables.append(dict(table, source=source_name)) %}
        {% endfor %}
    {% endfor %}
    {{ return(tables) }}
{% endmacro %}
