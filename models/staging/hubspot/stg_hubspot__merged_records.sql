{#- Every merged-away HubSpot id with the survivor it now lives on, so references to it (from
    associations, contacts, stage history) resolve to the record that is staged. -#}
with companies as (
    select * from {{ ref('base_hubspot__companies') }}
),

contacts as (
    select * from {{ ref('base_hubspot__contacts') }}
),

deals as (
    select * from {{ ref('base_hubspot__deals') }}
),

final as (
    select distinct
        'company' as object_type,
        company_id as merged_id,
        merged_into_id as survivor_id
    from companies
    where merged_into_id is not null
    union all
    select distinct
        'contact' as object_type,
        contact_id as merged_id,
        merged_into_id as survivor_id
    from contacts
    where merged_into_id is not null
    union all
    select distinct
        'deal' as object_type,
        deal_id as merged_id,
        merged_into_id as survivor_id
    from deals
    where merged_into_id is not null
)

select * from final
