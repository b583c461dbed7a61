-- Excluir Contas a Pagar (ExcluirContaPagar): payables cancelled in the source that an earlier,
-- finished push got into Omie. Empty on a fresh clone. Key: codigo_lancamento_omie (omie-api.md §3.3).
with payables as (
    select * from {{ ref('stg_payables') }}
),

in_omie as {{ omie_ids_of(['contas_pagar'], finished_runs_only=true) }}

select
    cast(in_omie.omie_id as bigint)       as codigo_lancamento_omie,
    cast(p.payable_id as varchar)         as codigo_lancamento_integracao
from payables as p
inner join in_omie on in_omie.key = p.payable_id
where p.is_cancelled
