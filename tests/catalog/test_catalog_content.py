"""What the catalog adds to the doc: keys, requirements, allowed values, dates, views."""
from __future__ import annotations

import json

from click.testing import CliRunner

from omie_push import catalog
from omie_push.cli import main


def test_ten_endpoints_in_push_order():
    names = [e.name for e in catalog.ENDPOINTS]
    assert len(names) == 10
    for ep in catalog.ENDPOINTS:
        for parent in ep.depends_on:
            assert names.index(parent) < names.index(ep.name), (ep.name, parent)


def test_every_requirement_says_where_it_comes_from():
    for ep in catalog.ENDPOINTS:
        for f in ep.fields:
            assert f.required == bool(f.required_by), (ep.name, f.name)


def test_integration_keys_are_required_fields():
    for ep in catalog.ENDPOINTS:
        if ep.integration_key and ep.kind != "delete":
            assert ep.field(ep.integration_key).required, ep.name


def test_closed_sets_and_dates():
    ctr = catalog.get("contratos")
    assert ctr.field("cTipoFat").allowed == ("01", "02", "03", "06", "12")
    assert ctr.field("cCodSit").allowed == ("00", "10", "90", "99")
    assert ctr.field("dVigInicial").is_date
    assert catalog.get("clientes").field("optante_simples_nacional").allowed == ("S", "N")
    assert catalog.get("contas_receber").field("data_vencimento").is_date
    assert catalog.get("contas_receber").field("acao").allowed == ("A", "S", "L")


def test_excluir_key_objects_follow_omie_api():
    receber = catalog.get("Excluir Contas a Receber")
    pagar = catalog.get("ExcluirContaPagar")
    assert [f.name for f in receber.fields] == ["chave_lancamento", "codigo_lancamento_integracao"]
    assert [f.name for f in pagar.fields] == ["codigo_lancamento_omie", "codigo_lancamento_integracao"]
    assert receber.key_object == "conta_receber_cadastro_chave"
    assert all(f.source != "connector" for f in receber.fields + pagar.fields)


def test_contratos_views_cover_every_section_once():
    ctr = catalog.get("contratos")
    covered = [f.name for v in ctr.views for f in ctr.fields_of(v) if f.name != "cCodIntCtr"]
    assert sorted(covered) == sorted(f.name for f in ctr.fields if f.name != "cCodIntCtr")
    assert all(v.parent_key == "cCodIntCtr" for v in ctr.views[1:])


def test_catalog_json_lists_ten_endpoints_and_256_fields():
    result = CliRunner().invoke(main, ["catalog", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["endpoints"]) == 10
    assert data["connector_fields"] == 256
    assert sum(1 for e in data["endpoints"] for f in e["fields"] if f["source"] == "connector") == 256


def test_catalog_of_one_endpoint_and_unknown_name():
    runner = CliRunner()
    shown = runner.invoke(main, ["catalog", "omie_contratos_itens"])
    assert shown.exit_code == 0 and "itensContrato.itemCabecalho.natOperacao" in shown.output
    unknown = runner.invoke(main, ["catalog", "pedidos"])
    assert unknown.exit_code == 2 and "no endpoint named 'pedidos'" in unknown.output


def test_catalog_listing_is_a_table_whose_columns_never_run_together():
    out = CliRunner().invoke(main, ["catalog"]).output
    header, rule, *rows = out.split("\n\n")[0].splitlines()
    starts = [i for i, c in enumerate(rule) if c == "-" and (i == 0 or rule[i - 1] == " ")]
    assert len(starts) == 5
    for row in rows:          # every column starts where its rule starts, after a blank
        for s in starts[1:]:
            assert len(row) <= s or row[s - 1] == " ", row
    assert any("omie_contratos_departamentos" in r and "UpsertContrato" not in r for r in rows)


def test_field_option_shows_an_object_fields_subfields():
    done = CliRunner().invoke(main, ["catalog", "clientes", "--field", "recomendacoes"])
    assert done.exit_code == 0, done.output
    assert "codigo_vendedor" in done.output and "STRUCT" in done.output
    data = json.loads(CliRunner().invoke(main, ["catalog", "clientes", "--field", "tags", "--json"]).output)
    assert [s["name"] for s in data["subfields"]] == ["tag"] and data["type"] == "Array"


def test_field_option_says_when_no_source_documents_the_inside():
    done = CliRunner().invoke(main, ["catalog", "contas_receber", "--field", "boleto"])
    assert done.exit_code == 0 and "No source documents" in done.output
    bad = CliRunner().invoke(main, ["catalog", "clientes", "--field", "nope"])
    assert bad.exit_code == 2 and "nope" in bad.output


def test_every_documented_shape_names_a_real_object_or_array_field():
    from omie_push.catalog.subfields import SHAPES

    for (endpoint, name), shape in SHAPES.items():
        assert catalog.get(endpoint).field(name).type in ("Object", "Array"), (endpoint, name)
        assert shape.subfields and shape.source and json.loads(shape.example)
