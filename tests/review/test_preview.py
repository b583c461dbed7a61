"""The preview's plan is the push's own dry run: equal to `omie-push --dry-run --json`, with new
and changed told apart by the ledger, each payload as it would be sent, and a field-by-field
diff against what Omie accepted."""
from __future__ import annotations

import json

import polars as pl

from omie_push.review import preview

from .conftest import CLIENTES


def test_the_plan_equals_the_dry_run_of_the_command(fresh):
    plan = preview.plan_view("omie_clientes", fresh.root)
    command = json.loads(fresh.cli("push", "--dry-run", "--json", "--select", "omie_clientes").stdout)
    mine = plan.report.as_json()
    assert mine.pop("run_id") != command.pop("run_id")
    assert mine.pop("duration_seconds") > 0 and command.pop("duration_seconds") > 0
    assert set(mine.pop("timings")) == set(command.pop("timings"))   # how long, not what
    assert mine.pop("loop_lag_max_ms") >= 0 and command.pop("loop_lag_max_ms") >= 0
    assert mine == command
    # C-3, never accepted, was refused for good (a duplicate CNPJ) with this very payload: held
    # until it changes or the run says --retry-refused (issue 10, item 5)
    assert command["endpoints"]["omie_clientes"]["to_send"] == 0
    assert command["endpoints"]["omie_clientes"]["held"] == 1


def test_new_changed_unchanged_and_the_diff_against_what_omie_accepted(fresh):
    changed = CLIENTES.replace("'Alfa Comercio Ltda'", "'Alfa Comercio e Servicos Ltda'").replace(
        "'not-an-address')", "'not-an-address'),\n  ('C-5', 'Delta Ltda', '58.105.546/2713-87', "
                             "'contas@delta.com.br')")
    fresh.project.model("omie_clientes", changed, "clientes")
    plan = preview.plan_view("omie_clientes", fresh.root)
    table = plan.table().row(0, named=True)
    # C-3 (refused for good, unchanged) is held, not sent again (issue 10, item 5)
    assert (table["new"], table["changed"], table["unchanged"], table["rejected"], table["held"]) == \
        (1, 1, 1, 1, 1)
    # two upserts and the drift check's one List page (docs/drift.md)
    assert table["to_send"] == 2 and table["calls"] == 2 + 1
    change = dict(plan.rows.select("key", "change").rows())
    assert change == {"C-1": "changed", "C-2": "unchanged", "C-3": "held", "C-4": "rejected",
                      "C-5": "new"}

    to_send, accepted = plan.payload("omie_clientes", "C-1")
    assert to_send["razao_social"] == "Alfa Comercio e Servicos Ltda"
    assert accepted["razao_social"] == "Alfa Comercio Ltda"
    diff = preview.compare(accepted, to_send)
    assert diff.filter(pl.col("change") != "same").rows() == [
        ("razao_social", "Alfa Comercio Ltda", "Alfa Comercio e Servicos Ltda", "changed")]

    same, accepted_c2 = plan.payload("omie_clientes", "C-2")
    assert same is None and accepted_c2["codigo_cliente_integracao"] == "C-2"
    new, nothing = plan.payload("omie_clientes", "C-5")
    assert new["cnpj_cpf"] == "58.105.546/2713-87" and nothing is None


def test_compare_walks_nested_objects_and_lists():
    accepted = {"cabecalho": {"cCodIntCtr": "K", "nValTotMes": 10.0},
                "itensContrato": [{"itemCabecalho": {"seq": 1, "quant": 1}}], "old": "x"}
    to_send = {"cabecalho": {"cCodIntCtr": "K", "nValTotMes": 12.5},
               "itensContrato": [{"itemCabecalho": {"seq": 1, "quant": 1}},
                                 {"itemCabecalho": {"seq": 2, "quant": 3}}]}
    diff = {f: (a, s, c) for f, a, s, c in preview.compare(accepted, to_send).rows()}
    assert diff["cabecalho.nValTotMes"] == ("10.0", "12.5", "changed")
    assert diff["cabecalho.cCodIntCtr"] == ("K", "K", "same")
    assert diff["itensContrato[1].itemCabecalho.quant"] == (None, "3", "added")
    assert diff["old"] == ("x", None, "removed")
