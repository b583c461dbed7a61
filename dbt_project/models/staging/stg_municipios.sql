-- IBGE municipalities, with the city as Omie's PesquisarCidades writes it: 'SAO PAULO (SP)'.
select
    trim(ibge_code)                                          as ibge_code,
    trim(name)                                               as name,
    upper(trim(uf))                                          as uf,
    trim(ddd)                                                as ddd,
    upper({{ omie_strip_accents('trim(name)') }}) || ' (' || upper(trim(uf)) || ')' as omie_city
from {{ ref('raw_municipios') }}
