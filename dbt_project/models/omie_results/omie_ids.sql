-- (endpoint, integration code) -> the id Omie gave, from the ledger omie-push keeps.
-- Later models join on it (omie_contratos.nCodCli, the Excluir views, codigo_vendedor, ...).
-- With several Omie companies in one results file, set var omie_company to the app key to map;
-- otherwise the latest accepted id per record wins.
with ledger as (
    select * from {{ source('omie_results', 'ledger') }}
    {% if var('omie_company', none) %}
    where company = '{{ var("omie_company") }}'
    {% endif %}
),

runs as (
    select run_id, finished_at from {{ source('omie_results', 'runs') }}
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
            partition by ledger.endpoint, ledger.key order by ledger.accepted_at desc
        ) as recency
    from ledger
    left join runs on runs.run_id = ledger.run_id
)

select
    endpoint,
    key,
    omie_id,
    {{ omie_try_bigint('omie_id') }} as omie_id_bigint,
    company,
    run_id,
    accepted_at,
    from_finished_run
from latest
where recency = 1
