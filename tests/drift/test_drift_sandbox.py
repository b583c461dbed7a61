"""Drift against the Omie sandbox served over real HTTP, with edits made as a person in
Omie's screens (the sandbox's /_sandbox/edit route): report, hold, overwrite, the commands
that resolve it, and a run where nothing drifted (at most one List page)."""
from __future__ import annotations

import json

from drift.conftest import ROWS

NEW_ADDRESS = "Rua do Financeiro, 500"


def listar_calls(served, run_id: str) -> int:
    """ListarClientes calls a run's drift check made (the drift_checks row of that run)."""
    found = served.sql("select calls from drift_checks where run_id = ?", [run_id])
    return found[0][0] if found else 0


def test_report_records_field_both_values_who_and_when(served):
    served.clientes(ROWS)
    assert served.push()[0] == 0
    edited = served.edit("C-1", endereco=NEW_ADDRESS)["record"]["info"]
    code, out, _ = served.push()
    assert code == 0
    view = out["endpoints"]["omie_clientes"]
    assert view["unchanged"] == 2 and view["sent"] == 0
    assert out["drift"]["omie_clientes"]["new"] == 1
    assert out["drift"]["omie_clientes"]["unresolved_keys"] == ["C-1"]
    rows = served.sql("select company, endpoint, key, field, our_value, omie_value, changed_by, "
                      "changed_at, status from drift")
    assert rows == [("4400000000099", "clientes", "C-1", "endereco", ROWS["C-1"][2], NEW_ADDRESS,
                     edited["uAlt"], f"{edited['dAlt']} {edited['hAlt']}", "open")]
    assert edited["uAlt"] != "WEBSERVICE"
    # shown by `omie-push drift`, text and --json
    code, text = served.cli("drift")
    assert code == 0 and "C-1" in text and NEW_ADDRESS in text and edited["uAlt"] in text
    code, text = served.cli("drift", "--json")
    listed = json.loads(text)["drift"]
    assert [(r["key"], r["field"], r["omie_value"], r["our_value"]) for r in listed] == [
        ("C-1", "endereco", NEW_ADDRESS, ROWS["C-1"][2])]
    # the next run sees the same edit again at the window's edge: it is not recorded twice
    served.push()
    assert served.sql("select count(*) from drift")[0][0] == 1
    # report: a warehouse change of the row is sent as usual, and the drift is overwritten
    changed = {**ROWS, "C-1": (*ROWS["C-1"][:2], "Rua das Flores, 12", *ROWS["C-1"][3:])}
    served.clientes(changed)
    code, out, _ = served.push()
    assert out["endpoints"]["omie_clientes"]["sent"] == 1
    assert served.consult("C-1")["endereco"] == "Rua das Flores, 12"
    assert served.sql("select status from drift") == [("overwritten",)]


def test_an_edit_through_the_api_or_of_a_field_we_do_not_send_is_no_drift(served):
    served.clientes(ROWS)
    served.push()
    served.edit("C-2", telefone1_numero="99999999")       # a field omie-push does not send
    served.edit("C-1", endereco=NEW_ADDRESS, user="WEBSERVICE")   # another API integration
    code, out, _ = served.push()
    assert code == 0 and out["drift"]["omie_clientes"]["found"] == 0
    assert served.sql("select count(*) from drift")[0][0] == 0


def test_hold_keeps_a_warehouse_change_until_accepted(served):
    served.clientes(ROWS, meta={"drift": "hold"})
    served.push()
    served.edit("C-1", endereco=NEW_ADDRESS)
    changed = {**ROWS, "C-1": (*ROWS["C-1"][:2], "Rua das Flores, 12", *ROWS["C-1"][3:])}
    served.clientes(changed, meta={"drift": "hold"})
    code, out, _ = served.push()
    view = out["endpoints"]["omie_clientes"]
    assert code == 1 and view["held"] == 1 and view["sent"] == 0
    note = served.sql("select note from row_results where status = 'held'")[0][0]
    assert "endereco" in note and "omie-push drift --accept C-1" in note
    assert served.consult("C-1")["endereco"] == NEW_ADDRESS          # Omie's edit stands
    served.push()                                                     # still held
    assert served.consult("C-1")["endereco"] == NEW_ADDRESS
    code, text = served.cli("drift", "--accept", "C-1")
    assert code == 0 and "accepted" in text
    code, out, _ = served.push()
    assert code == 0 and out["endpoints"]["omie_clientes"]["sent"] == 1
    assert served.consult("C-1")["endereco"] == "Rua das Flores, 12"
    assert served.sql("select status from drift") == [("accepted",)]


def test_hold_then_overwrite_sends_the_warehouse_value(served):
    served.clientes(ROWS, meta={"drift": "hold"})
    served.push()
    served.edit("C-1", endereco=NEW_ADDRESS)
    served.push()
    assert served.consult("C-1")["endereco"] == NEW_ADDRESS    # unchanged in the warehouse
    code, _ = served.cli("drift", "--overwrite", "C-1")
    assert code == 0
    code, out, _ = served.push()
    assert out["endpoints"]["omie_clientes"]["sent"] == 1
    assert served.consult("C-1")["endereco"] == ROWS["C-1"][2]
    assert served.sql("select status from drift") == [("overwritten",)]
    assert served.cli("drift", "--accept", "C-1")[0] != 0     # nothing left to resolve


def test_overwrite_puts_the_warehouse_address_back_without_a_warehouse_change(served):
    served.clientes(ROWS, meta={"drift": "overwrite"})
    served.push()
    served.edit("C-1", endereco=NEW_ADDRESS)
    code, out, _ = served.push()
    view = out["endpoints"]["omie_clientes"]
    assert code == 0 and view["sent"] == 1 and view["unchanged"] == 1
    assert served.consult("C-1")["endereco"] == ROWS["C-1"][2]
    assert served.sql("select status from drift") == [("overwritten",)]
    code, out, _ = served.push()                # our own write is no drift: nothing sent
    assert out["endpoints"]["omie_clientes"]["sent"] == 0


def test_a_run_with_nothing_drifted_costs_one_list_page(served):
    served.clientes(ROWS)
    code, out, _ = served.push()
    assert listar_calls(served, out["run_id"]) == 0          # nothing of ours in Omie yet
    for _ in range(2):
        code, out, _ = served.push()
        assert code == 0 and out["drift"]["omie_clientes"]["calls"] == 1
        assert listar_calls(served, out["run_id"]) == 1
        assert out["plan"]["omie_clientes"]["calls"] == 1      # nothing to send, one page read
    # the plan counts the check: one List page, no Omie call made
    code, out, _ = served.push("--dry-run")
    view = out["endpoints"]["omie_clientes"]
    assert view["calls"] == 1 and out["drift"]["omie_clientes"]["checked"] is False


def test_with_nothing_to_write_report_lists_at_most_every_drift_check_minutes(served):
    """Policy report, default cadence (60 min): a run with nothing to write lists Omie's
    changes only when the last check is older than that; a run that writes lists first."""
    served.target(every=60)
    served.clientes(ROWS)
    served.push()               # sends both; nothing of ours in Omie before: checked, no call
    code, out, _ = served.push()                  # checked a moment ago, nothing to write
    drift = out["drift"]["omie_clientes"]
    assert code == 0 and drift["calls"] == 0 and drift["checked"] is False
    assert "not due" in drift["skipped"] and out["plan"]["omie_clientes"]["calls"] == 0
    assert served.sql("select count(*) from drift_checks where run_id = ?", [out["run_id"]]) == [(0,)]
    served.edit("C-1", endereco=NEW_ADDRESS)
    changed = {**ROWS, "C-2": ("Beta S.A.", *ROWS["C-2"][1:])}
    served.clientes(changed)                      # a row to write: the check runs before it
    code, out, _ = served.push()
    assert code == 0 and out["endpoints"]["omie_clientes"]["sent"] == 1
    assert out["drift"]["omie_clientes"]["checked"] is True
    assert out["drift"]["omie_clientes"]["unresolved_keys"] == ["C-1"]


def test_a_bad_policy_is_refused_by_name(served):
    served.clientes(ROWS, meta={"drift": "ignore"})
    code, out, _ = served.push()
    error = out["endpoints"]["omie_clientes"]["error"]
    assert code == 1 and "meta.omie.drift" in error and "report, hold, overwrite" in error


def test_an_empty_answer_restarts_the_window_from_the_first_day(served):
    """The record that set the window's start is deleted in Omie: the check meets Omie's
    empty-page fault once, then starts again from the day before the first accepted record."""
    from datetime import datetime, timedelta

    from drift.conftest import KEY, SECRET
    from omie_push.sandbox.testing import admin

    served.clientes(ROWS)
    served.push()
    later = (datetime.now() + timedelta(days=1)).strftime("%d/%m/%Y 10:00:00")
    served.edit("C-2", user="WEBSERVICE", at=later, contato="Ana")
    served.push()
    assert served.sql("select since from drift_checks") == [(later,)]
    admin(served.url, "delete", KEY, SECRET, endpoint="clientes", code="C-2")
    code, out, _ = served.push()
    assert out["drift"]["omie_clientes"]["checked"] is True
    assert served.sql("select since, calls from drift_checks") == [(None, 1)]
    code, out, _ = served.push()
    since = served.sql("select since from drift_checks")[0][0]
    assert since is not None and since != later


RECEBER = """select * from (values ('R-1', 'C-1', date '2030-01-10', {valor}::decimal(15,2),
  '1.01.02', 4850011001)) t(codigo_lancamento_integracao, codigo_cliente_fornecedor_integracao,
  data_vencimento, valor_documento, codigo_categoria, id_conta_corrente)"""


def test_a_client_held_for_drift_does_not_hold_its_titulos(served):
    """The held client is in Omie already: a título naming it is sent as usual."""
    served.clientes(ROWS, meta={"drift": "hold"})
    served.project.model("omie_contas_receber", RECEBER.format(valor="100.00"), "contas_receber")
    assert served.push()[0] == 0
    served.edit("C-1", endereco=NEW_ADDRESS)
    changed = {**ROWS, "C-1": (*ROWS["C-1"][:2], "Rua das Flores, 12", *ROWS["C-1"][3:])}
    served.clientes(changed, meta={"drift": "hold"})
    served.project.model("omie_contas_receber", RECEBER.format(valor="150.00"), "contas_receber")
    code, out, _ = served.push()
    assert out["endpoints"]["omie_clientes"]["held"] == 1
    assert out["endpoints"]["omie_contas_receber"]["sent"] == 1, out
