-- Dates stay 'YYYY-MM-DD' text (see stg_receivables).
select
    trim(payable_id)                       as payable_id,
    trim(supplier_id)                      as supplier_id,
    nullif(trim(issue_date), '')           as issue_date,
    nullif(trim(entry_date), '')           as entry_date,
    nullif(trim(due_date), '')             as due_date,
    amount,
    nullif(trim(category_code), '')        as category_code,
    bank_account_id,
    nullif(trim(invoice_number), '')       as invoice_number,
    nullif(trim(document_number), '')      as document_number,
    nullif(trim(installment), '')          as installment,
    nullif(trim(project_id), '')           as project_id,
    nullif(upper(trim(iss_withheld)), '')  as iss_withheld,
    lower(trim(status)) = 'cancelado'      as is_cancelled,
    nullif(trim(notes), '')                as notes
from {{ ref('raw_payables') }}
