{% macro validate_vars() %}
    {#- Refuse a bad var before any model runs, naming the var and how to set it. Vars reach SQL,
        so anything that is not of the documented form is refused, never passed through. -#}
    {% set problems = [] %}

    {% set period = var('report_period') %}
    {% if period not in ['week', 'month', 'quarter'] %}
        {% do problems.append("report_period = '" ~ period ~ "' must be one of week, month, quarter") %}
    {% endif %}

    {% set as_of = var('as_of_date') %}
    {% if as_of is not none and not is_iso_date(as_of | string) %}
        {% do problems.append("as_of_date = '" ~ as_of ~ "' must be a real date written YYYY-MM-DD (or null for the last activity day)") %}
    {% endif %}

    {% set tz = var('reporting_timezone') | string %}
    {% if tz not in modules.pytz.all_timezones %}
        {% do problems.append("reporting_timezone = '" ~ tz ~ "' is not an IANA time zone name (e.g. UTC, America/New_York)") %}
    {% endif %}

    {% set whole_numbers = [
        ('fiscal_year_start_month', 1, 12), ('connected_call_min_seconds', 0, 86400),
        ('untouched_days', 1, 3660), ('multithreading_window_days', 1, 3660),
        ('single_threaded_max_contacts', 0, 1000), ('no_recent_activity_days', 1, 3660),
        ('attribution_lookback_days', 0, 3660), ('stalled_severity_medium_reasons', 1, 5),
        ('stalled_severity_high_reasons', 1, 5), ('high_account_score', 0, 100),
        ('low_account_score', 0, 100), ('hubspot_sentinel_min_year', 1900, 9999),
    ] %}
    {% for name, low, high in whole_numbers %}
        {% set value = var(name) %}
        {% if value is not number or value != value | int or value < low or value > high %}
            {% do problems.append(name ~ " = '" ~ value ~ "' must be a whole number from " ~ low ~ " to " ~ high) %}
        {% endif %}
    {% endfor %}

    {% set sla_minutes = var('speed_to_lead_sla_minutes') %}
    {% if sla_minutes is string or sla_minutes is not iterable or not sla_minutes
          or sla_minutes | reject('number') | list or sla_minutes | sort != sla_minutes %}
        {% do problems.append("speed_to_lead_sla_minutes must be a non-empty increasing list of minutes, e.g. [5, 60, 1440]") %}
    {% endif %}

    {% for name in ['completed_task_statuses', 'canceled_event_statuses', 'no_show_event_statuses',
                    'connected_call_dispositions', 'inbound_lead_sources', 'mql_lead_statuses',
                    'sal_lead_statuses', 'customer_account_types', 'employee_bands',
                    'hubspot_sent_email_statuses', 'hubspot_inbound_lead_sources'] %}
        {% set value = var(name) %}
        {% if value is string or value is not iterable or value is mapping %}
            {% do problems.append(name ~ " must be a list of strings, e.g. ['a', 'b']") %}
        {% endif %}
    {% endfor %}

    {#- analyses/ write each band's label and bound into SQL as they are. -#}
    {% set bands = var('employee_bands') %}
    {% if bands is iterable and bands is not string and bands is not mapping %}
        {% set bad_bands = [] %}
        {% for band in bands %}
            {% if band is string or band is not iterable or band | length != 2
                  or not modules.re.fullmatch('[A-Za-z0-9 +<>.,-]+', band[0] | string)
                  or band[1] is not number or band[1] != band[1] | int or band[1] < 0 %}
                {% do bad_bands.append(band) %}
            {% endif %}
        {% endfor %}
        {% if bad_bands %}
            {% do problems.append("employee_bands must be a list of [label, lowest employee count] pairs, e.g. [['1-49', 0], ['50+', 50]] (labels: letters, digits, spaces, + < > . , -)") %}
        {% endif %}
    {% endif %}

    {#- The fallback book must be one the seeds know, or its thresholds and targets never apply. -#}
    {% set books = [('default_rep_role', ['SDR', 'BDR', 'AE', 'AM']),
                    ('default_segment', ['SMB', 'Mid-Market', 'Enterprise', 'Strategic'])] %}
    {% for name, allowed in books %}
        {% if var(name) not in allowed %}
            {% do problems.append(name ~ " = '" ~ var(name) ~ "' must be one of " ~ allowed | join(', ')) %}
        {% endif %}
    {% endfor %}

    {% set crms = crm_sources() %}
    {% for name in crms %}
        {% if var(name ~ '_enabled') not in [true, false] %}
            {% do problems.append(name ~ "_enabled = '" ~ var(name ~ '_enabled') ~ "' must be true or false") %}
        {% endif %}
    {% endfor %}
    {% set enabled = [] %}
    {% for name in crms if var(name ~ '_enabled') is sameas true %}{% do enabled.append(name) %}{% endfor %}
    {% if not enabled %}
        {% do problems.append("no CRM is enabled (" ~ crms | join('_enabled, ') ~ "_enabled are all false): "
                              ~ "set at least one to true, e.g. --vars '{hubspot_enabled: true}'") %}
    {% endif %}

    {#- Written into SQL between quotes as it is. -#}
    {% if not modules.re.fullmatch('[0-9]+', var('hubspot_primary_deal_company_type_id') | string) %}
        {% do problems.append("hubspot_primary_deal_company_type_id = '" ~ var('hubspot_primary_deal_company_type_id') ~ "' must be a HubSpot association type id (digits, e.g. '5')") %}
    {% endif %}

    {% set calls = var('hubspot_call_dispositions') %}
    {% if calls is not mapping or calls.values() | reject('string') | list %}
        {% do problems.append("hubspot_call_dispositions must map disposition ids to labels, e.g. {'f240bbac-87c9-4f6e-bf70-924b57d47db7': 'Connected'}") %}
    {% endif %}

    {% for name in ['salesforce_raw_schema', 'hubspot_raw_schema', 'account_score_column', 'event_status_column',
                    'hubspot_account_score_column'] %}
        {% if not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', var(name) | string) %}
            {% do problems.append(name ~ " = '" ~ var(name) ~ "' must be a plain identifier (letters, digits, _)") %}
        {% endif %}
    {% endfor %}

    {% if problems %}
        {% do exceptions.raise_compiler_error(
            "Invalid var(s):\n  - " ~ problems | join("\n  - ")
            ~ "\nSet vars in dbt_project.yml or on the command line, e.g. dbt build --vars '{report_period: month}'."
        ) %}
    {% endif %}
    select 1
{% endmacro %}


{% macro is_iso_date(text) %}
    {% set match = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})', text) %}
    {% if not match %}{{ return(false) }}{% endif %}
    {% set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int %}
    {% set is_leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 %}
    {% set month_days = [31, 29 if is_leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] %}
    {{ return(1 <= month <= 12 and 1 <= day <= month_days[month - 1]) }}
{% endmacro %}
