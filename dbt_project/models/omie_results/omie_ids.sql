-- (company, endpoint, integration code) -> the id Omie gave, from the ledger omie-push keeps.
-- Later models join on it (omie_contratos.nCodCli, the Excluir views, codigo_vendedor, ...).
-- Each Omie company (app key) grants its own ids, so ids must never cross companies:
--   * when omie-push reads a view it tells its connection the company being pushed
--     (DuckDB: set variable omie_company_key; PostgreSQL: omie_push.company_key), and this
--     model keeps only that company's ids: a single-company view needs nothing more;
--   * a view with rows for several companies (column omie_company) joins on omie_company too,
--     so dbt's own tests and notebooks, which set no company, still pair each row with its own;
--   * var omie_company (an app key) forces one company, wherever it is read.
{%- set pushed_company -%}
    {%- if target.type == 'postgres' -%}
        nullif(current_setting('omie_push.company_key', true), '')
    {%- else -%}
        getvariable('omie_company_key')
    {%- endif -%}
{%- endset %}
with ledger as (
    select * from {{ source('omie_results', 'ledger') }}
    {% if var('omie_company', none) %}
    where company = '{{ var("omie_company") }}'
    {% else %}
    where {{ pushed_company }} is null or company = {{ pushed_company }}
    {% endif %}
),

runs as (
    select run_id, company, started_at, finished_at, options
    from {{ source('omie_results', 'runs') }}
),

-- each company's name in omie_push.yml (what a view's omie_company column says), as its latest
-- push recorded it
names as (
    select company, omie_company
    from (
        select
            company,
            options->>'company' as omie_company,
            row_number() over (partition by company order by started_at desc) as recency
        from runs
        where options->>'company' is not null
    ) as named
    where recency = 1
),

latest as (
    select
        ledger.endpoint,
        ledger.key,
        ledger.omie_id,
        ledger.company,
        ledger.run_id,
        ledger.accepted_at,
        runs.finished_at is not null as from_finished_run,
        row_number() over (
            partition by ledger.company, ledger.endpoint, ledger.key order by ledger.accepted_at desc
        ) as recency
    from ledger
    left join runs on runs.run_id = ledger.run_id
)

select
    latest.endpoint,
    latest.key,
    latest.omie_id,
    {{ omie_try_bigint('latest.omie_id') }} as omie_id_bigint,
    latest.company,
    names.omie_company,
    latest.run_id,
    latest.accepted_at,
    latest.from_finished_run
from latest
left join names on names.company = latest.company
where latest.recency = 1
