{{ config(meta={'omie': {'endpoint': 'contas_pagar'}}) }}
-- Wrong type (the amount as text) and a missing required column (data_vencimento).
select 'P-1' as codigo_lancamento_integracao, 'GOOD-1' as codigo_cliente_fornecedor_integracao,
       'dez reais' as valor_documento, '2.01.01' as codigo_categoria
