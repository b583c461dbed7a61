"""The omie views' schema YAML agrees with the endpoint catalog (fast: reads files, runs no dbt).

`schema_problems` lists every disagreement; the real YAML must have none, and each kind of mistake
planted in a copy must be reported, so the check itself is shown able to fail.
"""
from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import pytest
import yaml

from omie_push import catalog

REPO = Path(__file__).resolve().parents[2]
OMIE_MODELS = REPO / "dbt_project" / "models" / "omie"
SCALAR = {"Integer": "bigint", "Decimal": "decimal(15,2)", "String": "varchar", "Text": "varchar"}


def load(name: str) -> dict:
    return yaml.safe_load((OMIE_MODELS / name).read_text(encoding="utf-8"))


def type_matches(field: catalog.Field, data_type: str) -> bool:
    if "{{" in data_type:      # per target: "{{ '<duckdb type>' if target.type == 'duckdb' else 'jsonb' }}"
        data_type = data_type.split("'")[1]
    t = data_type.lower().replace(" ", "")
    if field.type == "Array":
        return t.endswith("[]")
    if field.type == "Object":
        return t.startswith("struct(") and not t.endswith("[]")
    return t == SCALAR[field.type].replace(" ", "")


def key_test_problems(model: dict, view: catalog.View) -> list[str]:
    name, key = model["name"], list(view.row_key)
    tests_of = {c["name"]: [t if isinstance(t, str) else next(iter(t)) for t in c.get("data_tests", [])]
                for c in model.get("columns", [])}
    problems = [f"{name}: key column {k} has no not_null test" for k in key if "not_null" not in tests_of.get(k, [])]
    if len(key) == 1:
        if "unique" not in tests_of.get(key[0], []):
            problems.append(f"{name}: key column {key[0]} has no unique test")
    else:
        combos = [t["unique_combination_of_columns"]["arguments"]["combination_of_columns"]
                  for t in model.get("data_tests", []) if isinstance(t, dict) and "unique_combination_of_columns" in t]
        if key not in combos:
            problems.append(f"{name}: no unique_combination_of_columns test on the row key {key}")
    return problems


def schema_problems(models_doc: dict, exposures_doc: dict) -> list[str]:
    problems: list[str] = []
    models = {m["name"]: m for m in models_doc["models"]}
    views = {v.name: (ep, v) for ep, v in catalog.views()}
    problems += [f"no model in the YAML for catalog view {v}" for v in views.keys() - models.keys()]
    problems += [f"model {m} is not a catalog view" for m in models.keys() - views.keys()]
    for name in models.keys() & views.keys():
        model, (endpoint, view) = models[name], views[name]
        config = model.get("config", {})
        if (config.get("meta", {}).get("omie") or {}).get("endpoint") != endpoint.name:
            problems.append(f"{name}: meta.omie.endpoint is not {endpoint.name!r}")
        if config.get("contract", {}).get("enforced") is not True:
            problems.append(f"{name}: the model contract is not enforced")
        fields = {f.name: f for f in endpoint.fields_of(view)}
        columns = {c["name"]: c for c in model.get("columns", [])}
        for col_name, col in columns.items():
            field = fields.get(col_name)
            if field is None:
                problems.append(f"{name}: column {col_name} is not a field of {endpoint.title}")
            elif field.read_only:
                problems.append(f"{name}: column {col_name} is read-only in Omie")
            elif not type_matches(field, str(col.get("data_type", ""))):
                problems.append(f"{name}: column {col_name} is {col.get('data_type')!r}, catalog says {field.type}")
            elif not col.get("description"):
                problems.append(f"{name}: column {col_name} has no description")
        missing = [f.name for f in fields.values() if (f.required or f.name in view.row_key) and f.name not in columns]
        problems += [f"{name}: required field {m} is not a column" for m in missing]
        problems += key_test_problems(model, view)
    exposure = exposures_doc["exposures"][0]
    fed_by = {re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in exposure["depends_on"]}
    if exposure.get("type") != "application" or fed_by != set(views):
        problems.append("the exposure is not an application fed by every omie view")
    return problems


def test_schema_yaml_agrees_with_the_catalog():
    assert schema_problems(load("_omie__models.yml"), load("_omie__exposures.yml")) == []


def _model(doc: dict, name: str) -> dict:
    return next(m for m in doc["models"] if m["name"] == name)


def _col(doc: dict, view: str, column: str) -> dict:
    return next(c for c in _model(doc, view)["columns"] if c["name"] == column)


MISTAKES = {
    "wrong data type": lambda d: _col(d, "omie_contas_receber", "valor_documento").update(data_type="varchar"),
    "array typed as scalar": lambda d: _col(d, "omie_clientes", "tags").update(data_type="varchar"),
    "misspelt column": lambda d: _col(d, "omie_clientes", "razao_social").update(name="razao_socal"),
    "read-only column": lambda d: _model(d, "omie_contas_pagar")["columns"].append(
        {"name": "status_titulo", "data_type": "varchar", "description": "x"}),
    "wrong endpoint": lambda d: _model(d, "omie_contratos_itens")["config"]["meta"]["omie"].update(endpoint="itens"),
    "no unique test": lambda d: _col(d, "omie_projetos", "codInt").update(data_tests=["not_null"]),
    "no combination test": lambda d: _model(d, "omie_contratos_departamentos").pop("data_tests"),
    "missing view": lambda d: d["models"].remove(_model(d, "omie_contas_pagar_excluir")),
    "contract off": lambda d: _model(d, "omie_vendedores")["config"].pop("contract"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_kind_of_disagreement_is_reported(mistake):
    doc = copy.deepcopy(load("_omie__models.yml"))
    MISTAKES[mistake](doc)
    assert schema_problems(doc, load("_omie__exposures.yml")), f"{mistake} went unnoticed"


def test_yaml_is_what_the_generator_writes():
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import gen_omie_schema
    finally:
        sys.path.remove(str(REPO / "scripts"))
    assert gen_omie_schema.main(["--check"]) == 0, "run scripts/gen_omie_schema.py and commit the YAML"


def test_every_omie_view_has_its_sql_model():
    for _, view in catalog.views():
        assert (OMIE_MODELS / f"{view.name}.sql").exists(), view.name


def test_results_ddl_macro_is_the_architecture_ddl():
    """on-run-start creates the results tables with exactly the DDL docs/architecture.md pins."""
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = doc.split("### Results tables", 1)[1]
    ddl_doc = re.search(r"```sql\n(.*?)```", section, re.S).group(1)
    macro = (REPO / "dbt_project" / "macros" / "omie_results_tables.sql").read_text(encoding="utf-8")
    ddl_macro = re.search(r"{% macro omie_results_ddl\(\) -%}\n(.*?){%- endmacro %}", macro, re.S).group(1)
    assert ddl_macro.strip() == ddl_doc.strip()
