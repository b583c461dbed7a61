{{ config(meta={'omie': {'endpoint': 'vendedores'}}) }}
-- Zero rows.
select 'V-1' as "codInt", 'Ninguém' as nome where false
