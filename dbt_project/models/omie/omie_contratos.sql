-- Upsert Contratos (UpsertContrato), header view: the cabecalho, infAdic, vencTextos, emailCliente
-- and observacoes fields as flat columns (omie-push nests them). nCodCli is the client's Omie id,
-- null until the client reached Omie (clientes and clientes_associar are pushed first).
with contracts as (
    select * from {{ ref('stg_contracts') }}
),

clients as {{ omie_ids_of(['clientes', 'clientes_associar']) }},

reps as {{ omie_ids_of(['vendedores']) }},

projects as {{ omie_ids_of(['projetos']) }},

cities as (
    select * from {{ ref('stg_municipios') }}
)

select
    cast(c.contract_id as varchar)             as "cCodIntCtr",
    cast(clients.omie_id as bigint)            as "nCodCli",
    cast(c.contract_number as varchar)         as "cNumCtr",
    cast(case c.status
        when 'ativo' then '00' when 'suspenso' then '10'
        when 'cancelado' then '90' when 'encerrado' then '99' end as varchar) as "cCodSit",
    cast(c.start_date as varchar)              as "dVigInicial",
    cast(c.end_date as varchar)                as "dVigFinal",
    cast(c.billing_day as bigint)              as "nDiaFat",
    cast(case c.billing_frequency
        when 'mensal' then '01' when 'bimestral' then '02' when 'trimestral' then '03'
        when 'semestral' then '06' when 'anual' then '12' end as varchar) as "cTipoFat",
    cast(c.category_code as varchar)           as "cCodCateg",
    cast(reps.omie_id as bigint)               as "nCodVend",
    cast(projects.omie_id as bigint)           as "nCodProj",
    cast(c.contact_name as varchar)            as "cContato",
    cast(cities.omie_city as varchar)          as "cCidPrestServ",
    cast(case c.due_rule when 'dias_apos' then '001' when 'dia_fixo' then '002' end as varchar) as "cTpVenc",
    cast(c.due_days as bigint)                 as "nDias",
    cast(c.due_fixed_day as bigint)            as "nDiaFixo",
    cast('S' as varchar)                       as "cAdPeriodo",
    cast('S' as varchar)                       as "cAdContrato",
    cast(c.email_invoice as varchar)           as "cEnviarLinkNfse",
    cast(c.email_boleto as varchar)            as "cEnviarBoleto",
    cast(c.billing_emails as varchar)          as "cUtilizarEmails",
    cast(c.notes as varchar)                   as "cObsContrato"
from contracts as c
left join clients on clients.key = c.customer_id
left join reps on reps.key = c.sales_rep_id
left join projects on projects.key = c.project_id
left join cities on cities.ibge_code = c.service_city_ibge
