{{ config(meta={'omie': {'endpoint': 'projetos'}}) }}
select * from (values ('PRJ-OK', 'Projeto Ação 🌱'), ('PRJ-BLANK', ''), ('PRJ-LONG', repeat('x', 200)))
  t("codInt", nome)
