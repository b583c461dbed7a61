-- Upsert Contratos, items (itensContrato: itemCabecalho, itemDescrServ, itemImpostos), one row per
-- service of a contract, carrying the contract's cCodIntCtr.
select
    cast(contract_id as varchar)              as "cCodIntCtr",
    cast(item_code as varchar)                as "codIntItem",
    cast(seq as bigint)                       as seq,
    cast(tax_nature as varchar)               as "natOperacao",
    cast(municipal_service_code as varchar)   as "codServMunic",
    cast(lc116_code as varchar)               as "codLC116",
    cast(quantity as decimal(15, 2))          as quant,
    cast(unit_price as decimal(15, 2))        as "valorUnit",
    cast(category_code as varchar)            as "cCodCategItem",
    cast(service_description as varchar)      as "descrCompleta",
    cast(iss_rate as decimal(15, 2))          as "aliqISS",
    cast(iss_withheld as varchar)             as "retISS"
from {{ ref('stg_contract_items') }}
