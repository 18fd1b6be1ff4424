with source as (
    select * from {{ source('salesforce', 'quota') }}
),

typed as (
    select
        user_id,
        {{ parse_date('period_start') }} as period_start,
        lower(trim(period_type)) as period_type,
        {{ parse_number('amount') }} as quota_amount,
        {#- A quota sheet has no modstamp: of two rows for one rep and period, the later row wins. -#}
        cast(null as timestamp) as modified_at,
        cast(null as timestamp) as synced_at,
        _source_file,
        _source_row_number,
        {{ quarantine_columns([
            missing_value('user_id', 'missing_id'),
            missing_value('period_start'),
            unreadable_value('period_start', 'date'),
            [
                "lower(trim(period_type)) not in ('month', 'quarter') or period_type is null",
                'invalid_period_type',
                "'period_type = ' || coalesce(period_type, 'NULL') || ' (month or quarter)'"
            ],
            unreadable_value('amount', 'number'),
            [
                parse_number('amount') ~ ' < 0 or amount is null',
                'invalid_amount',
                "'amount = ' || coalesce(amount, 'NULL')"
            ],
        ]) }}
    from source
),

classified as (
    select
        *,
        {{ version_rank(['user_id', 'period_start', 'period_type']) }} as version_rank
    from typed
)

select
    *,
    {{ row_fate('user_id') }} as row_fate
from classified
