{{ config(meta={'omie': {'endpoint': 'contas_receber'}}) }}
select
  codigo_lancamento_integracao, codigo_cliente_fornecedor_integracao, data_vencimento,
  cast(valor_documento as decimal(38, 2)) as valor_documento, codigo_categoria,
  cast(id_conta_corrente as double) as id_conta_corrente, observacao
from (values
  ('GOOD-R1', 'GOOD-1', '2030-01-31', '1234.56', '1.01.02', 4850011001, 'Pagamento à vista ✅'),
  ('GOOD-R2', 'GOOD-2', '2030-02-28', '0.01', '1.01.02', 4850011001, null),
  ('BAD-3102', 'GOOD-1', '2030-02-31', '10.00', '1.01.02', 4850011001, null),
  ('BAD-brdate', 'GOOD-1', '31/01/2030', '10.00', '1.01.02', 4850011001, null),
  ('BAD-year', 'GOOD-1', '1899-12-31', '10.00', '1.01.02', 4850011001, null),
  ('BAD-negative', 'GOOD-1', '2030-01-31', '-10.00', '1.01.02', 4850011001, null),
  ('BAD-zero', 'GOOD-1', '2030-01-31', '0.00', '1.01.02', 4850011001, null),
  ('BAD-huge', 'GOOD-1', '2030-01-31', '123456789012345678901234567.89', '1.01.02', 4850011001, null),
  ('BAD-fraction', 'GOOD-1', '2030-01-31', '10.00', '1.01.02', 4850011001.5, null),
  ('BAD-nulldate', 'GOOD-1', null, '10.00', '1.01.02', 4850011001, null),
  ('BAD-parent', 'BAD-cnpj', '2030-01-31', '10.00', '1.01.02', 4850011001, null)
) t(codigo_lancamento_integracao, codigo_cliente_fornecedor_integracao, data_vencimento,
    valor_documento, codigo_categoria, id_conta_corrente, observacao)
