select
    trim(contract_id)      as contract_id,
    trim(department_code)  as department_code,
    trim(department_name)  as department_name,
    share_pct
from {{ ref('raw_contract_departments') }}
