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
        ('low_account_score', 0, 100),
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
                    'sal_lead_statuses', 'customer_account_types', 'employee_bands'] %}
        {% set value = var(name) %}
        {% if value is string or value is not iterable or value is mapping %}
            {% do problems.append(name ~ " must be a list of strings, e.g. ['a', 'b']") %}
        {% endif %}
    {% endfor %}

    {% for name in ['salesforce_raw_schema', 'account_score_column', 'event_status_column'] %}
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
