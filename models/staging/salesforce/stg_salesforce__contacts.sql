with base as (
    select * from {{ ref('base_salesforce__contacts') }}
),

final as (
    select
        contact_id,
        account_id,
        owner_id,
        contact_name,
        contact_email,
        contact_phone,
        title,
        department,
        lead_source,
        mailing_country,
        created_at,
        is_deleted,
        modified_at
    from base
    where row_fate = 'staged'
)

select * from final
