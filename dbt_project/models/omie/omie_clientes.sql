-- Upsert Clientes (UpsertCliente), keyed by codigo_cliente_integracao. Suppliers are clientes in
-- Omie too (tag Fornecedor). recomendacoes (an Object) says where invoices go and whether Omie
-- issues boletos. It carries no Omie id on purpose: clientes does not wait for vendedores, so an
-- id read from omie_ids here would be null on the first push and change the payload on the next.
with customers as (
    select * from {{ ref('stg_customers') }}
)

select
    cast(c.customer_id as varchar)                     as codigo_cliente_integracao,
    cast(c.legal_name as varchar)                      as razao_social,
    cast(c.document as varchar)                        as cnpj_cpf,
    cast(c.trade_name as varchar)                      as nome_fantasia,
    cast(c.phone_ddd as varchar)                       as telefone1_ddd,
    cast(c.phone_number as varchar)                    as telefone1_numero,
    cast(c.phone2_ddd as varchar)                      as telefone2_ddd,
    cast(c.phone2_number as varchar)                   as telefone2_numero,
    cast(c.contact_name as varchar)                    as contato,
    cast(c.street as varchar)                          as endereco,
    cast(c.street_number as varchar)                   as endereco_numero,
    cast(c.district as varchar)                        as bairro,
    cast(c.complement as varchar)                      as complemento,
    cast(c.state as varchar)                           as estado,
    cast(c.omie_city as varchar)                       as cidade,
    cast(c.postal_code as varchar)                     as cep,
    cast('1058' as varchar)                            as codigo_pais,
    cast(c.email as varchar)                           as email,
    cast(c.website as varchar)                         as homepage,
    cast(c.municipal_registration as varchar)          as inscricao_municipal,
    cast(c.simples_nacional as varchar)                as optante_simples_nacional,
    cast(c.notes as varchar)                           as observacao,
{%- if target.type == 'duckdb' %}
    cast(list_transform(c.tags, lambda t: {'tag': t}) as struct(tag varchar)[]) as tags,
{%- else %}
    -- elsewhere: JSON, which omie-push reads as the same array of objects
    (select jsonb_agg(jsonb_build_object('tag', t)) from unnest(c.tags) as t) as tags,
{%- endif %}
    cast(case when c.is_person then 'S' else 'N' end as varchar) as pessoa_fisica,
    cast(c.city_ibge as varchar)                       as cidade_ibge,
    cast(c.credit_limit as decimal(15, 2))             as valor_limite_credito,
    cast(case when c.is_active then 'N' else 'S' end as varchar) as inativo,
{%- if target.type == 'duckdb' %}
    cast(case when not c.is_supplier
              then {'email_fatura': c.email, 'gerar_boletos': case when c.is_person then 'N' else 'S' end} end
         as struct(email_fatura varchar, gerar_boletos varchar)) as recomendacoes
{%- else %}
    case when not c.is_supplier
         then jsonb_build_object('email_fatura', c.email,
                                 'gerar_boletos', case when c.is_person then 'N' else 'S' end) end as recomendacoes
{%- endif %}
from customers as c
