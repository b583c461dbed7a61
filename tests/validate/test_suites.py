"""The suites are generated from the catalog, checked in, and say why each check exists."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from omie_push.catalog import find_view, views
from omie_push.cli import main
from omie_push.validate import store, suite

ROOT = Path(__file__).resolve().parents[2]


def test_regenerating_changes_nothing():
    stale = store.stale_files(suite.build_all())
    assert stale == [], f"run `omie-push expectations generate`: out of date: {stale}"


def test_one_suite_per_view_and_the_root_link():
    assert sorted(p.stem for p in store.SUITES_DIR.glob("*.json")) == sorted(v.name for _, v in views())
    link = ROOT / "expectations"
    assert link.is_symlink() and link.resolve() == store.SUITES_DIR


def test_check_fails_when_a_file_differs(tmp_path):
    directory = tmp_path / "suites"
    shutil.copytree(store.SUITES_DIR, directory)
    assert store.stale_files(suite.build_all(), directory) == []
    path = directory / "omie_clientes.json"
    data = json.loads(path.read_text())
    data["expectations"].pop()
    path.write_text(json.dumps(data))
    (directory / "omie_gone.json").write_text("{}")
    assert store.stale_files(suite.build_all(), directory) == ["omie_clientes", "omie_gone"]
    assert store.write_all(suite.build_all(), directory) == ["omie_clientes", "omie_gone"]
    assert store.stale_files(suite.build_all(), directory) == []


def test_cli_check_and_generate_agree_with_files():
    done = CliRunner().invoke(main, ["expectations", "generate", "--check"])
    assert done.exit_code == 0, done.output
    assert "12 suites up to date" in done.output


def test_generate_writes_to_a_folder_of_the_user_not_the_package(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in store.SUITES_DIR.glob("*.json")}
    done = CliRunner().invoke(main, ["expectations", "generate"])
    assert done.exit_code == 0, done.output
    assert sorted(p.stem for p in (tmp_path / "expectations").glob("*.json")) == sorted(
        v.name for _, v in views())
    assert {p.name: p.stat().st_mtime_ns for p in store.SUITES_DIR.glob("*.json")} == before
    (tmp_path / "expectations" / "omie_clientes.json").write_text("{}")
    stale = CliRunner().invoke(main, ["expectations", "generate", "--check", "--out", "expectations"])
    assert stale.exit_code == 1 and "omie_clientes" in stale.output


def _by(view: str) -> dict[tuple[str, str], dict]:
    data = store.read_suite(view)
    return {(e["type"], e["meta"]["omie_field"]): e for e in data["expectations"]}


def test_each_catalog_rule_becomes_an_expectation():
    clientes = _by("omie_clientes")
    assert ("expect_column_values_to_not_be_null", "razao_social") in clientes
    assert ("expect_column_values_to_not_match_regex", "razao_social") in clientes
    length = clientes[("expect_column_value_lengths_to_be_between", "razao_social")]
    assert length["kwargs"] == {"column": "razao_social", "max_value": 60}
    assert clientes[("expect_column_values_to_be_in_set", "pessoa_fisica")]["kwargs"]["value_set"] == ["S", "N"]
    assert ("expect_column_values_to_be_valid_cpf_cnpj", "cnpj_cpf") in clientes
    assert ("expect_column_values_to_be_email_lists", "email") in clientes
    assert ("expect_column_values_to_be_whole_numbers", "codigo_cliente_omie") in clientes
    assert ("expect_column_values_to_be_finite_numbers", "valor_limite_credito") in clientes
    assert ("expect_column_values_to_be_unique", "codigo_cliente_integracao") in clientes
    # read-only fields are not checked: the schema check refuses them outright
    assert not any(field in ("importado_api", "info") for _, field in clientes)
    receber = _by("omie_contas_receber")
    assert receber[("expect_column_values_to_be_real_dates", "data_vencimento")]["kwargs"]["min_year"] == 1901
    group = "codigo_cliente_fornecedor, codigo_cliente_fornecedor_integracao"
    assert ("expect_at_least_one_of_columns_to_be_filled", group) in receber
    itens = _by("omie_contratos_itens")
    assert itens[("expect_compound_columns_to_be_unique", "cCodIntCtr, seq")]["kwargs"]["column_list"] == ["cCodIntCtr", "seq"]
    assert ("expect_column_values_to_be_in_set", "cCodSit") in _by("omie_contratos")


def test_every_expectation_names_its_field_and_a_reason():
    for _, view in views():
        endpoint, _ = find_view(view.name)
        names = {f.name for f in endpoint.fields_of(view)}
        for exp in store.read_suite(view.name)["expectations"]:
            meta = exp["meta"]
            assert set(meta["omie_field"].split(", ")) <= names, (view.name, exp)
            assert len(meta["reason"]) > 20 and meta["omie_field"].split(", ")[0] in meta["reason"] \
                or "integration key" in meta["reason"] or "row key" in meta["reason"], exp
