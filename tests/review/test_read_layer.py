"""The read layer on a project pushed twice to the embedded sandbox: every table a person sees,
checked against what the pushes reported (--json) and what the results file holds."""
from __future__ import annotations

import duckdb
import polars as pl

from omie_push.review import history, pace, problems, sandbox_state, source, tables

from .conftest import KEY


def results_rows(pushed, sql: str, *params):
    con = duckdb.connect(str(pushed.root / "omie_results.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def snap_of(pushed):
    return tables.snapshot(source.locate(pushed.root))


def test_runs_table_lists_both_runs_with_the_counts_the_pushes_reported(pushed):
    table = history.runs_table(snap_of(pushed))
    first, second = pushed.outputs
    assert table["run_id"].to_list() == [second["run_id"], first["run_id"]]   # newest first
    for out, line in zip((second, first), table.iter_rows(named=True)):
        for status in ("sent", "unchanged", "rejected", "failed", "held", "not_attempted"):
            assert line[status] == sum(v[status] for v in out["endpoints"].values()), status
        assert line["target"] == "sandbox" and line["company"] == KEY
        assert line["outcome"] == "finished with refused rows" and line["exit_code"] == 1
        assert line["duration_seconds"] > 0


def test_view_counts_of_a_run_equal_its_json_output(pushed):
    snap = snap_of(pushed)
    for out in pushed.outputs:
        table = history.view_counts(snap, out["run_id"])
        got = {r.pop("view"): {k: v for k, v in r.items() if k != "problem"}
               for r in table.iter_rows(named=True)}
        assert got == out["endpoints"]


def test_rejected_rows_carry_expectation_field_value_and_reason(pushed):
    snap = snap_of(pushed)
    rejected = problems.rejected_rows(snap.rows_of(pushed.outputs[-1]["run_id"]))
    assert rejected.select("view", "key", "field", "value").rows() == [
        ("omie_clientes", "C-4", "email", "not-an-address")]
    line = rejected.row(0, named=True)
    assert line["expectation"] == "expect_column_values_to_be_email_lists"
    assert "not-an-address" in line["reason"]


def test_faults_grouped_by_kind_quote_omie_and_say_what_to_do(pushed):
    snap = snap_of(pushed)
    faults = problems.faults_by_kind(snap.rows_of(pushed.outputs[0]["run_id"]))
    assert faults["kind"].to_list() == ["duplicate_cnpj"]
    group = faults.row(0, named=True)
    recorded = results_rows(pushed, "select fault from row_results where key = 'C-3' limit 1")[0][0]
    assert group["rows"] == 1 and group["keys"] == "C-3" and group["views"] == "omie_clientes"
    assert group["omie_says"] == recorded and "já cadastrado para o CPF/CNPJ" in recorded
    assert group["faultcode"] == "SOAP-ENV:Client-102"
    assert "associate_duplicates" in group["what_to_do"]


def test_a_fault_unknown_to_the_client_is_a_refusal_of_the_row():
    rows = pl.DataFrame({"status": ["failed", "failed"], "view": ["omie_clientes"] * 2,
                         "key": ["A", "B"], "note": [None, "breaker open"],
                         "fault": ["ERROR: O preenchimento da tag [email] é obrigatório!", None],
                         "faultcode": ["SOAP-ENV:Client-102", None]})
    faults = problems.faults_by_kind(rows)
    assert sorted(faults["kind"].to_list()) == ["no_answer", "refused"]
    refused = faults.filter(pl.col("kind") == "refused").row(0, named=True)
    assert refused["omie_says"] == "ERROR: O preenchimento da tag [email] é obrigatório!"


def test_rows_refused_on_both_runs_are_repeat_failures(pushed):
    repeats = problems.repeat_failures(snap_of(pushed))
    got = {(r["key"], r["runs_in_a_row"], r["last_status"]) for r in repeats.iter_rows(named=True)}
    assert got == {("C-3", 2, "failed"), ("C-4", 2, "rejected"), ("R-3", 2, "held")}
    assert all(r["why"] for r in repeats.iter_rows(named=True))


def test_a_row_sent_at_last_ends_its_streak():
    started = [f"2026-01-0{d} 10:00:00" for d in (1, 2, 3)]
    runs = pl.DataFrame({"run_id": ["r1", "r2", "r3"], "dry_run": [False] * 3,
                         "started_at": started}).with_columns(pl.col("started_at").str.to_datetime())
    rows = pl.DataFrame({"run_id": ["r1", "r2", "r3", "r1", "r2", "r3"],
                         "view": ["v"] * 6, "key": ["A", "A", "A", "B", "B", "B"],
                         "status": ["failed", "failed", "sent", "sent", "rejected", "rejected"],
                         "reasons": [None] * 6, "fault": ["x", "x", None, None, None, None],
                         "note": [None] * 6})
    snap = tables.Snapshot(None, runs.sort("started_at", descending=True), rows, None, None)
    repeats = problems.repeat_failures(snap)
    assert repeats.select("key", "runs_in_a_row").rows() == [("B", 2)]


def test_omie_ids_written_back_match_the_ledger(pushed):
    snap = snap_of(pushed)
    granted = problems.omie_ids(snap, pushed.outputs[0]["run_id"])
    ledger = dict(results_rows(pushed, "select key, omie_id from ledger"))
    assert dict(granted.select("key", "omie_id").rows()) == ledger
    assert sorted(ledger) == ["C-1", "C-2"]
    assert problems.omie_ids(snap, pushed.outputs[1]["run_id"]).height == 0   # nothing new


def test_calls_spent_and_pace_come_from_the_answers_recorded(pushed):
    snap = snap_of(pushed)
    run = snap.run(pushed.outputs[0]["run_id"])
    rows = snap.rows_of(run["run_id"])
    budget = pace.budget(rows, run["started_at"])
    assert budget.select("method", "calls", "failed_rows", "budget_per_minute").rows() == [
        ("UpsertCliente", 3, 1, 240)]
    series = pace.pace(rows, run["started_at"])
    assert series["per_minute"].to_list() == [1, 2, 3]      # three calls within a minute
    assert (series["seconds"] > 0).all()


def test_a_lot_is_one_call_per_attempt():
    at = pl.datetime(2026, 1, 1, 10, 0, 0)
    rows = pl.DataFrame({"endpoint": ["contas_receber"] * 3 + ["clientes"],
                         "attempts": [1, 1, 1, 2], "status": ["sent"] * 4,
                         "note": ["lot 1", "lot 1", "lot 2", None]}).with_columns(recorded_at=at)
    calls = pace.calls_of(rows)
    assert sorted(calls.select("method", "calls").rows()) == [
        ("UpsertCliente", 2), ("UpsertContaReceberPorLote", 1), ("UpsertContaReceberPorLote", 1)]


def test_the_sandbox_holds_the_records_the_ledger_names(pushed):
    state = sandbox_state.of_target(pushed.root)
    assert state.app_key == KEY and state.exists
    kinds = dict(((c, k), n) for c, k, n in sandbox_state.kinds(state).rows())
    records = sandbox_state.records(state, KEY, "cliente")
    codes = set(records["code"].drop_nulls().to_list())
    assert {"C-1", "C-2"} <= codes and "C-3" not in codes and "C-4" not in codes
    assert kinds[(KEY, "cliente")] == records.height
    checked = sandbox_state.ids_in_sandbox(state, snap_of(pushed).ledger)
    assert checked.rows() == [("clientes", "cliente", 2, 2)]
