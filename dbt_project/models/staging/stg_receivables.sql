-- Dates stay 'YYYY-MM-DD' text: a cast would turn 2027-02-30 into an error for the whole view
-- (or a silent null); as text it reaches validation, which names the row and the value.
select
    trim(receivable_id)                    as receivable_id,
    trim(customer_id)                      as customer_id,
    nullif(trim(issue_date), '')           as issue_date,
    nullif(trim(due_date), '')             as due_date,
    nullif(trim(expected_date), '')        as expected_date,
    amount,
    nullif(trim(category_code), '')        as category_code,
    bank_account_id,
    nullif(trim(document_number), '')      as document_number,
    nullif(trim(installment), '')          as installment,
    nullif(trim(invoice_number), '')       as invoice_number,
    nullif(trim(project_id), '')           as project_id,
    nullif(trim(sales_rep_id), '')         as sales_rep_id,
    iss_amount,
    nullif(upper(trim(iss_withheld)), '')  as iss_withheld,
    lower(trim(status)) = 'cancelado'      as is_cancelled,
    nullif(trim(notes), '')                as notes
from {{ ref('raw_receivables') }}
