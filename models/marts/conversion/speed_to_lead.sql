{#- One row per inbound lead (not deleted, created on or before the as-of date): minutes from
    creation to the first outbound touch and the SLA band it falls in. -#}
with leads as (
    select * from {{ ref('int_leads_first_touched') }}
),

final as (
    select
        lead_id,
        source_system,
        rep_id,
        manager_id,
        lead_source,
        created_at,
        created_date,
        '{{ var("report_period") }}' as period_type,
        created_period_start as period_start,
        first_outbound_touch_at,
        first_touch_activity_id,
        first_touch_channel,
        first_touch_rep_id,
        first_touch_via,
        minutes_to_first_touch,
        sla_band,
        is_within_first_sla,
        is_touched
    from leads
)

select * from final
