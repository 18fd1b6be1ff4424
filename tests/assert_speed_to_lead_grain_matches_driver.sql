{#- Fan-out guard: speed_to_lead has one row per inbound, not deleted lead created on or before
    the as-of date. -#}
with speed_to_lead as (
    select * from {{ ref('speed_to_lead') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

as_of as (
    select * from {{ ref('stg_crm__as_of_date') }}
),

driver as (
    select count(*) as driver_rows
    from leads
    cross join as_of
    where
        leads.is_inbound
        and not leads.is_deleted
        and {{ to_reporting_date('leads.created_at') }} <= as_of.as_of_date
),

mart as (
    select count(*) as mart_rows from speed_to_lead
)

select
    driver.driver_rows,
    mart.mart_rows
from driver
cross join mart
where driver.driver_rows <> mart.mart_rows
