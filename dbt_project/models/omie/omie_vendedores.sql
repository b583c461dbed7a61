-- Upsert Vendedores (UpsertVendedor), keyed by codInt.
select
    cast(rep_id as varchar)                            as "codInt",
    cast(name as varchar)                              as nome,
    cast(case when is_active then 'N' else 'S' end as varchar) as inativo,
    cast(email as varchar)                             as email,
    cast(can_invoice as varchar)                       as fatura_pedido,
    cast(sees_own_orders_only as varchar)              as visualiza_pedido,
    cast(commission_pct as decimal(15, 2))             as comissao
from {{ ref('stg_sales_reps') }}
