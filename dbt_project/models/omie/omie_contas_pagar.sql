-- Upsert Contas a Pagar (UpsertContaPagar), keyed by codigo_lancamento_integracao.
-- A payable cancelled in the source never goes (again): if Omie has it, the Excluir view
-- deletes it; if Omie never had it, there is nothing to send.
with payables as (
    select * from {{ ref('stg_payables') }}
),

projects as {{ omie_ids_of(['projetos']) }}

select
    cast(p.payable_id as varchar)             as codigo_lancamento_integracao,
    cast(p.supplier_id as varchar)            as codigo_cliente_fornecedor_integracao,
    cast(p.due_date as varchar)               as data_vencimento,
    cast(p.amount as decimal(15, 2))          as valor_documento,
    cast(p.category_code as varchar)          as codigo_categoria,
    cast(p.due_date as varchar)               as data_previsao,
    cast(p.bank_account_id as bigint)         as id_conta_corrente,
    cast(p.invoice_number as varchar)         as numero_documento_fiscal,
    cast(p.issue_date as varchar)             as data_emissao,
    cast(p.entry_date as varchar)             as data_entrada,
    cast(projects.omie_id as bigint)          as codigo_projeto,
    cast(p.notes as varchar)                  as observacao,
    cast(p.iss_withheld as varchar)           as retem_iss,
    cast(p.document_number as varchar)        as numero_documento,
    cast(p.installment as varchar)            as numero_parcela
from payables as p
left join projects on projects.key = p.project_id
where not p.is_cancelled
