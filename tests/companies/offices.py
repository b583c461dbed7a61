"""The office the fan-out and Dagster tests share (one dbt build): the sample project's
omie_clientes rebuilt as a view of three companies' rows, and a sandbox serving two targets'
companies: `office` (mercado with a wrong secret) and `dagster` (three other keys, all right)."""
from __future__ import annotations

from .conftest import BUDGETS

PADARIA, OFICINA, MERCADO = "4400000000303", "4400000000404", "4400000000505"
ACCOUNTS = {
    PADARIA: {"app_secret": "padaria-secret-never-printed", "razao_social": "Padaria Aurora Ltda",
              "cnpj": "11.444.777/0001-61"},
    OFICINA: {"app_secret": "oficina-secret-never-printed", "razao_social": "Oficina Dois Irmãos Ltda",
              "cnpj": "11.222.333/0001-81"},
    MERCADO: "mercado-secret-never-printed",
}
DAGSTER_KEYS = {"padaria": "4400000000606", "oficina": "4400000000707", "mercado": "4400000000808"}
ACCOUNTS.update({key: f"{name}-dagster-secret" for name, key in DAGSTER_KEYS.items()})
YML = """
target: office
targets:
  office:
    base_url: "{url}"
    max_attempts: 2
    BUDGETS
    companies:
      padaria: {app_key: "PADARIA", app_secret: "padaria-secret-never-printed"}
      oficina: {app_key: "OFICINA", app_secret: "oficina-secret-never-printed", cnpj: "11222333000181"}
      mercado: {app_key: "MERCADO", app_secret: "a-wrong-secret-never-printed"}
  dagster:
    base_url: "{url}"
    max_attempts: 2
    BUDGETS
    companies:
""" + "".join(f"      {name}: {{app_key: \"{key}\", app_secret: \"{name}-dagster-secret\"}}\n"
              for name, key in DAGSTER_KEYS.items())
YML = YML.replace("PADARIA", PADARIA).replace("OFICINA", OFICINA).replace("MERCADO", MERCADO) \
    .replace("BUDGETS", BUDGETS)
# padaria and mercado get every customer; oficina the first ten; one row names no company of
# the target
VIEW = """
select c.*, cast(co.omie_company as varchar) as omie_company
from {{ ref('omie_clientes_one') }} as c
cross join (values ('padaria'), ('oficina'), ('mercado')) as co(omie_company)
where co.omie_company <> 'oficina' or c.codigo_cliente_integracao <= 'CLI-0010'
union all
select c.*, 'padoca' from {{ ref('omie_clientes_one') }} as c
where c.codigo_cliente_integracao = 'CLI-0001'
"""
COLUMN = """  columns:
  - name: omie_company
    data_type: varchar
    data_tests:
    - not_null
  - name: codigo_cliente_integracao
    description: External unique identifier for the client. Omie type String(60). Required (omie-push).
    data_type: varchar
    data_tests:
    - not_null
"""


def many_company_view(project):
    """omie_clientes becomes a view of three companies' rows (the sample's becomes its source).
    The office keeps no sales reps: without the omie_vendedores model (a single-company view
    here) clientes wait for no parent (push.isolation.parent_hold)."""
    models = project / "models" / "omie"
    (models / "omie_vendedores.sql").unlink()
    exposures = models / "_omie__exposures.yml"
    exposures.write_text(exposures.read_text().replace("  - ref('omie_vendedores')\n", ""))
    (models / "omie_clientes.sql").rename(models / "omie_clientes_one.sql")
    (models / "omie_clientes.sql").write_text(VIEW)
    yml = (models / "_omie__models.yml").read_text()
    start = yml.index("- name: omie_clientes\n")
    old = yml.index("  columns:\n", start)
    end = yml.index("    - not_null\n", old) + len("    - not_null\n")
    assert "    - unique\n" in yml[old:end]
    yml = yml[:old] + COLUMN + yml[end:]
    yml = yml.replace("- name: omie_clientes\n", "- name: omie_clientes\n  data_tests:\n"
                      "  - unique_combination_of_columns:\n      arguments:\n"
                      "        combination_of_columns: [omie_company, codigo_cliente_integracao]\n", 1)
    (models / "_omie__models.yml").write_text(yml)


