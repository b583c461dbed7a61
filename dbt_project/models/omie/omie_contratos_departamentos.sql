-- Upsert Contratos, departments (departamentos): how each contract's revenue splits, carrying the
-- contract's cCodIntCtr.
select
    cast(contract_id as varchar)       as "cCodIntCtr",
    cast(department_code as varchar)   as "cCodDep",
    cast(department_name as varchar)   as "cDesDep",
    cast(share_pct as decimal(15, 2))  as "nPerDep"
from {{ ref('stg_contract_departments') }}
