"""`omie-push --dry-run --live` against the sandbox served over HTTP: per row create or
update and the fields that change (Omie's value -> the warehouse's), the reads counted in the
plan, nothing written; and the preview notebook's read of the same plan."""
from __future__ import annotations

from datetime import datetime, timedelta

from drift.conftest import ROWS

from omie_push.push import live
from omie_push.review import preview


def changed_rows() -> dict:
    """C-1 moves (street and CEP), C-2 stays, C-3 is new."""
    return {**ROWS, "C-1": (*ROWS["C-1"][:2], "Avenida Paulista, 1000", *ROWS["C-1"][3:5], "01310200"),
            "C-3": ("Gama Ltda", "33000167000101", "Rua Tres, 3", "SAO PAULO (SP)", "SP", "01001000")}


def test_live_dry_run_shows_creates_and_updates_old_to_new(served):
    served.clientes(ROWS)
    served.push()
    served.clientes(changed_rows())
    before = served.consult("C-1")
    code, out, err = served.push("--dry-run", "--live")
    assert code == 0, err
    rows = {r["key"]: r for r in out["live"]["omie_clientes"]}
    assert set(rows) == {"C-1", "C-3"}
    assert rows["C-3"]["action"] == "create" and rows["C-3"]["checked"] is True
    assert rows["C-1"]["action"] == "update"
    assert rows["C-1"]["changes"] == [
        {"field": "endereco", "old": "Rua das Flores, 10", "new": "Avenida Paulista, 1000"},
        {"field": "cep", "old": "01310100", "new": "01310200"}]
    # two upserts planned + the drift check's page + one page of ListarClientes for the live view
    assert out["endpoints"]["omie_clientes"]["calls"] == 2 + 1 + 1
    assert served.consult("C-1") == before                 # nothing was written
    assert served.consult("C-3").get("faultcode") == "SOAP-ENV:Client-103"


def test_an_omie_edit_shows_as_the_old_value(served):
    served.clientes(ROWS)
    served.push()
    served.edit("C-1", endereco="Rua Editada no Omie, 5")
    served.clientes(changed_rows())
    code, out, _ = served.push("--dry-run", "--live")
    change = {c["field"]: c for c in out["live"]["omie_clientes"][0]["changes"]}
    assert change["endereco"]["old"] == "Rua Editada no Omie, 5"


def test_consultar_when_the_listing_would_cost_more(served, monkeypatch):
    """With pages of one record a full listing costs more than one Consultar per row Omie
    accepted before; a row new to the ledger is then not looked up (a Consultar of a record
    Omie does not hold is an error Omie counts towards its block)."""
    served.clientes(ROWS)
    served.push()
    # another API integration touches C-2 later: the next checks start there, so C-1 is no
    # longer in the drift check's listing and must be read on its own
    later = (datetime.now() + timedelta(days=1)).strftime("%d/%m/%Y 10:00:00")
    served.edit("C-2", user="WEBSERVICE", at=later, contato="Ana")
    served.push()
    served.clientes(changed_rows())
    monkeypatch.setattr(live, "PAGE_SIZE", 1)
    code, out, _ = served.push("--dry-run", "--live")
    rows = {r["key"]: r for r in out["live"]["omie_clientes"]}
    assert rows["C-1"]["action"] == "update" and rows["C-1"]["checked"] is True
    assert [c["field"] for c in rows["C-1"]["changes"]] == ["endereco", "cep"]
    assert rows["C-3"] == {"key": "C-3", "action": "create", "changes": [], "checked": False}
    assert out["endpoints"]["omie_clientes"]["calls"] == 2 + 1 + 1    # one ConsultarCliente


def test_the_terminal_summary_and_the_preview_read_the_same_plan(served):
    served.clientes(ROWS)
    served.push()
    served.clientes(changed_rows())
    code, text = served.cli("--dry-run", "--live")
    assert code == 0, text
    assert "update C-1: endereco 'Rua das Flores, 10' -> 'Avenida Paulista, 1000'" in text
    assert "1 create, 1 update" in text
    plan = preview.plan_view("omie_clientes", served.root, live=True)
    table = plan.live()
    assert table.filter(table["key"] == "C-1")["field"].to_list() == ["endereco", "cep"]
    assert table.filter(table["key"] == "C-3")["action"].to_list() == ["create"]
    assert preview.plan_view("omie_clientes", served.root).live() is None


def test_live_needs_dry_run(served):
    served.clientes(ROWS)
    code, text = served.cli("--live")
    assert code == 2 and "--dry-run" in text
