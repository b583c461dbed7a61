-- Associar Código Integração Cliente (AssociarCodIntCliente): clients typed into Omie's screen
-- before the integration get the integration code the warehouse knows them by.
select
    cast(omie_client_id as bigint)   as codigo_cliente_omie,
    cast(customer_id as varchar)     as codigo_cliente_integracao
from {{ ref('stg_legacy_client_links') }}
