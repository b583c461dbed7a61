-- Excluir Contas a Receber (ExcluirContaReceber): receivables cancelled in the source that an
-- earlier, finished push got into Omie. Empty on a fresh clone. Note the key name Omie expects
-- for receivables: chave_lancamento (omie-api.md §3.2).
with receivables as (
    select * from {{ ref('stg_receivables') }}
),

in_omie as {{ omie_ids_of(['contas_receber'], finished_runs_only=true) }}

select
    cast(in_omie.omie_id as bigint)       as chave_lancamento,
    cast(r.receivable_id as varchar)      as codigo_lancamento_integracao
from receivables as r
inner join in_omie on in_omie.key = r.receivable_id
where r.is_cancelled
