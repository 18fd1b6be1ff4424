{% macro activity_channels() %}
    {#- The canonical activity channels (seed activity_type_map's activity_channel values), in the
        order marts show them. -#}
    {{ return(['call', 'email', 'meeting', 'linkedin', 'sms', 'other']) }}
{% endmacro %}


{% macro count_where(condition) %}
    {#- Rows for which a condition holds, as a bigint (DuckDB sums integers to HUGEINT). -#}
    cast(sum(case when {{ condition }} then 1 else 0 end) as bigint)
{% endmacro %}


{% macro ratio(numerator, denominator) %}
    {#- numerator / denominator as a double; NULL when the denominator is 0 (never a made-up 0). -#}
    cast({{ numerator }} as {{ type_double() }}) / nullif({{ denominator }}, 0)
{% endmacro %}


{% macro conversion_ratios(counts) %}
    {#- The funnel's step ratios, each named by what it divides, from the counts of one relation
        (a rep's, or a roll-up's summed counts: ratios of sums, never averages of ratios). -#}
    {{ ratio(counts ~ '.connected_calls', counts ~ '.dials') }} as connected_calls_per_dial,
    {{ ratio(counts ~ '.conversations', counts ~ '.dials') }} as conversations_per_dial,
    {{ ratio(counts ~ '.meetings_booked', counts ~ '.conversations') }}
        as meetings_booked_per_conversation,
    {{ ratio(counts ~ '.meetings_held', counts ~ '.meetings_held + ' ~ counts ~ '.no_shows') }}
        as show_rate_held_over_held_and_no_show,
    {{ ratio(counts ~ '.opportunities_created', counts ~ '.meetings_held') }}
        as opportunities_per_meeting_held,
    {{ ratio(counts ~ '.opportunities_qualified', counts ~ '.opportunities_created') }}
        as qualified_per_opportunity_created,
    {{ ratio(counts ~ '.opportunities_won', counts ~ '.opportunities_created') }}
        as won_per_opportunity_created,
    {{ ratio(counts ~ '.opportunities_won', counts ~ '.opportunities_qualified') }}
        as won_per_qualified_opportunity
{% endmacro %}


{% macro funnel_counts() %}
    {#- The activity side of the conversion funnel, in funnel order. -#}
    {{ return(['activities', 'dials', 'connected_calls', 'conversations', 'meetings_booked',
               'meetings_held', 'no_shows']) }}
{% endmacro %}


{% macro funnel_count_sums() %}
    {#- One bigint sum per funnel count, for a group by. -#}
    {%- for count in funnel_counts() %}
        cast(sum({{ count }}) as bigint) as {{ count }}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}


{% macro funnel_count_columns(relation) %}
    {#- Every funnel count of a relation, 0 where a left join found no row. -#}
    {%- for count in funnel_counts() %}
        coalesce({{ relation }}.{{ count }}, 0) as {{ count }}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}


{% macro opportunity_cohort_columns(relation) %}
    {#- The opportunity side of the funnel from a left-joined cohort relation: counts of the
        opportunities created in the period and of those qualified and won, and the won amount. -#}
    cast(coalesce({{ relation }}.opportunities_created, 0) as bigint) as opportunities_created,
    cast(coalesce({{ relation }}.opportunities_qualified, 0) as bigint) as opportunities_qualified,
    cast(coalesce({{ relation }}.opportunities_won, 0) as bigint) as opportunities_won,
    cast(coalesce({{ relation }}.won_amount, 0) as decimal(18, 2)) as won_amount
{% endmacro %}
