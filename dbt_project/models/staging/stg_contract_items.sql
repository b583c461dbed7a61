select
    trim(contract_id)                      as contract_id,
    seq,
    trim(item_code)                        as item_code,
    trim(service_description)              as service_description,
    trim(lc116_code)                       as lc116_code,
    trim(municipal_service_code)           as municipal_service_code,
    trim(tax_nature)                       as tax_nature,
    quantity,
    unit_price,
    iss_rate,
    nullif(upper(trim(iss_withheld)), '')  as iss_withheld,
    nullif(trim(category_code), '')        as category_code
from {{ ref('raw_contract_items') }}
