{{ config(meta={'omie': {'endpoint': 'clientes'}}) }}
-- GOOD-* rows must land exactly as written; every BAD-* row must be refused before any call.
select * from (values
  ('GOOD-1', 'Ação & Companhia Ltda 🚀', '11.444.777/0001-61', 'São João Ações 😀', 'financeiro@acao.com.br', null),
  ('GOOD-2', 'Maria da Conceição', '111.444.777-35', 'Ótica Ñandú', null, '{"codigo_vendedor": null}'),
  ('BAD-cnpj', 'CNPJ com dígito errado Ltda', '11.444.777/0001-62', null, null, null),
  ('BAD-cpf', 'CPF inválido', '123.456.789-00', null, null, null),
  ('BAD-null', null, '11.222.333/0001-81', null, null, null),
  ('BAD-blank', '   ', '45.997.418/0001-53', null, null, null),
  ('BAD-long', repeat('é', 61), '34.028.316/0001-03', null, null, null),
  ('BAD-email', 'Email Ruim Ltda', '06.990.590/0001-23', null, 'não é email', null),
  ('BAD-json', 'JSON Quebrado Ltda', '33.000.167/0001-01', null, null, '{"codigo_vendedor": 1'),
  ('BAD-jsonlist', 'JSON Lista Ltda', '60.746.948/0001-12', null, null, '[1, 2]'),
  ('BAD-dup', 'Duplicado Um', '07.526.557/0001-00', null, null, null),
  ('BAD-dup', 'Duplicado Dois', '00.000.000/0001-91', null, null, null),
  ('', 'Sem código', '61.198.164/0001-60', null, null, null)
) t(codigo_cliente_integracao, razao_social, cnpj_cpf, nome_fantasia, email, recomendacoes)
