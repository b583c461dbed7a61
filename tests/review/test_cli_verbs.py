"""`omie-push runs` and `omie-push show`, as a person types them, text and --json."""
from __future__ import annotations

import json

from .conftest import KEY, Pushed, make_project


def test_runs_lists_each_run_newest_first(pushed):
    result = pushed.cli("runs")
    assert result.exit_code == 0, result.output
    first, second = (o["run_id"] for o in pushed.outputs)
    lines = result.output.splitlines()
    assert "omie_results.duckdb" in lines[0]
    assert lines[1].split()[:4] == ["run_id", "started", "(UTC)", "target"]
    assert [line.split()[0] for line in lines[2:]] == [second, first]
    assert "finished with refused rows (exit 1)" in lines[2] and KEY in lines[2]


def test_runs_json_carries_when_target_company_counts_duration_outcome(pushed):
    result = pushed.cli("runs", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    first = found["runs"][-1]
    assert first["run_id"] == pushed.outputs[0]["run_id"]
    assert first["counts"] == {"sent": 2, "unchanged": 0, "rejected": 1, "failed": 1, "held": 1,
                               "not_attempted": 0}
    assert first["target"] == "sandbox" and first["company"] == KEY and first["dry_run"] is False
    assert first["duration_seconds"] > 0 and first["outcome"] == "finished with refused rows"
    assert first["started_at"][:4].isdigit()


def test_runs_leaves_out_dry_runs_when_asked(fresh):
    dry = fresh.push("--dry-run")
    listed = json.loads(fresh.cli("runs", "--json").stdout)["runs"]
    assert listed[0]["run_id"] == dry["run_id"] and listed[0]["dry_run"] is True
    real = json.loads(fresh.cli("runs", "--json", "--no-dry-runs").stdout)["runs"]
    assert dry["run_id"] not in [r["run_id"] for r in real] and len(real) == 2


def test_runs_with_no_run_yet_says_so(tmp_path):
    project = make_project(tmp_path / "proj")
    result = Pushed(project, []).cli("runs")
    assert result.exit_code == 0 and result.output.startswith("No run yet")
    found = json.loads(Pushed(project, []).cli("runs", "--json").stdout)
    assert found["runs"] == [] and found["message"].startswith("No run yet")
    shown = Pushed(project, []).cli("show", "last")
    assert shown.exit_code == 2 and "No run yet" in shown.output


def test_show_rejected_rows_with_their_reasons(pushed):
    result = pushed.cli("show", pushed.outputs[0]["run_id"], "--status", "rejected")
    assert result.exit_code == 0, result.output
    rows = [line.split()[:3] for line in result.output.splitlines()[3:]]
    assert rows == [["omie_clientes", "C-4", "rejected"]]
    assert "not-an-address" in result.output


def test_show_json_names_the_fault_as_omie_sent_it(pushed):
    result = pushed.cli("show", "last", "--json", "--view", "omie_clientes", "--status", "failed")
    found = json.loads(result.stdout)
    assert found["run"]["run_id"] == pushed.outputs[-1]["run_id"]
    assert [r["key"] for r in found["rows"]] == ["C-3"]
    row = found["rows"][0]
    assert row["status"] == "failed" and "já cadastrado para o CPF/CNPJ" in row["fault"]
    assert row["why"] == row["fault"] and row["faultcode"] == "SOAP-ENV:Client-102"


def test_show_json_keeps_the_reasons_as_records(pushed):
    found = json.loads(pushed.cli("show", "last", "--json", "--status", "rejected").stdout)
    assert found["rows"][0]["reasons"][0]["field"] == "email"
    assert found["rows"][0]["reasons"][0]["value"] == "not-an-address"


def test_show_a_view_lists_only_its_rows(pushed):
    found = json.loads(pushed.cli("show", "last", "--json", "--view", "omie_contas_receber").stdout)
    assert [(r["key"], r["status"]) for r in found["rows"]] == [("R-3", "held")]


def test_show_an_unknown_run_is_a_usage_error(pushed):
    result = pushed.cli("show", "20990101T000000-nothing")
    assert result.exit_code == 2
    assert "no run '20990101T000000-nothing'" in result.output and "omie-push runs" in result.output
    assert pushed.cli("show", "last", "--status", "lost").exit_code == 2
