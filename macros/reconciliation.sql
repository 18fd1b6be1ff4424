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
