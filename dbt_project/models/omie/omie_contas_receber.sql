-- Upsert Contas a Receber (UpsertContaReceber), keyed by codigo_lancamento_integracao.
-- The client is named by its integration code; rep and project by the id Omie gave them.
-- A receivable cancelled in the source never goes (again): if Omie has it, the Excluir view
-- deletes it; if Omie never had it, there is nothing to send.
with receivables as (
    select * from {{ ref('stg_receivables') }}
),

reps as {{ omie_ids_of(['vendedores']) }},

projects as {{ omie_ids_of(['projetos']) }}

select
    cast(r.receivable_id as varchar)          as codigo_lancamento_integracao,
    cast(r.customer_id as varchar)            as codigo_cliente_fornecedor_integracao,
    cast(r.due_date as varchar)               as data_vencimento,
    cast(r.amount as decimal(15, 2))          as valor_documento,
    cast(r.category_code as varchar)          as codigo_categoria,
    cast(r.expected_date as varchar)          as data_previsao,
    cast(r.bank_account_id as bigint)         as id_conta_corrente,
    cast(r.document_number as varchar)        as numero_documento,
    cast(r.installment as varchar)            as numero_parcela,
    cast(r.invoice_number as varchar)         as numero_documento_fiscal,
    cast(r.notes as varchar)                  as observacao,
    cast(r.issue_date as varchar)             as data_emissao,
    cast(r.iss_amount as decimal(15, 2))      as valor_iss,
    cast(r.iss_withheld as varchar)           as retem_iss,
    cast(reps.omie_id as bigint)              as codigo_vendedor,
    cast(projects.omie_id as bigint)          as codigo_projeto
from receivables as r
left join reps on reps.key = r.sales_rep_id
left join projects on projects.key = r.project_id
where not r.is_cancelled
