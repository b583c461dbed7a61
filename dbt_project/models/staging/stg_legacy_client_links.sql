select
    omie_client_id,
    trim(customer_id)  as customer_id,
    trim(legal_name)   as legal_name
from {{ ref('raw_legacy_client_links') }}
