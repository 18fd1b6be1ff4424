{#- base_crm__activities turns DuckDB's preserve_insertion_order off while it writes (hook
    `insertion_order`), for its own session only: the landing numbers CSV rows in file order,
    which needs the setting on in every other session. This test runs in a later session of the
    same build and returns a row if the setting leaked out (a `set global` would). -#}
{{ config(enabled=target.type == 'duckdb') }}
-- depends_on: {{ ref('base_crm__activities') }}

select current_setting('preserve_insertion_order') as preserve_insertion_order
where not current_setting('preserve_insertion_order')
