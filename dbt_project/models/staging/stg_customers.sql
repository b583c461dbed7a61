-- Customers and suppliers: trimmed, phones split into DDD and number, tags as a list, city resolved
-- through IBGE. Nothing is "fixed" here: a bad value stays as it is so validation can name it.
with customers as (
    select * from {{ ref('raw_customers') }}
),

cities as (
    select * from {{ ref('stg_municipios') }}
)

select
    trim(c.customer_id)                                      as customer_id,
    upper(trim(c.person_type)) = 'PF'                        as is_person,
    trim(c.legal_name)                                       as legal_name,
    nullif(trim(c.trade_name), '')                           as trade_name,
    nullif(trim(c.document), '')                             as document,
    nullif(trim(c.municipal_registration), '')               as municipal_registration,
    nullif(trim(c.contact_name), '')                         as contact_name,
    nullif(lower(trim(c.email)), '')                         as email,
    nullif({{ omie_regexp_group('c.phone', '\((\d+)\)') }}, '')      as phone_ddd,
    nullif(trim(regexp_replace(c.phone, '^\s*\(\d+\)\s*', '')), '')  as phone_number,
    nullif({{ omie_regexp_group('c.phone2', '\((\d+)\)') }}, '')     as phone2_ddd,
    nullif(trim(regexp_replace(c.phone2, '^\s*\(\d+\)\s*', '')), '') as phone2_number,
    nullif(trim(c.website), '')                              as website,
    nullif(trim(c.street), '')                               as street,
    nullif(trim(c.street_number), '')                        as street_number,
    nullif(trim(c.complement), '')                           as complement,
    nullif(trim(c.district), '')                             as district,
    nullif(trim(c.postal_code), '')                          as postal_code,
    trim(c.city_ibge)                                        as city_ibge,
    m.name                                                   as city_name,
    m.uf                                                     as state,
    m.omie_city                                              as omie_city,
    upper(trim(c.simples_nacional))                          as simples_nacional,
    c.credit_limit,
    nullif(trim(c.sales_rep_id), '')                         as sales_rep_id,
    case when nullif(trim(c.tags), '') is not null
         then {{ omie_split_trimmed('c.tags', ';') }} end as tags,
    {{ omie_split_contains('c.tags', ';', 'Fornecedor') }} as is_supplier,
    c.active                                                 as is_active,
    nullif(trim(c.notes), '')                                as notes,
    c.created_on
from customers as c
left join cities as m on m.ibge_code = trim(c.city_ibge)
