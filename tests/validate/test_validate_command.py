"""`omie-push validate` on the sample project after a real `dbt build`: the bad sample rows are
rejected with reasons a user understands, the good rows of the same views stay valid."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from omie_push.cli import main

pytestmark = pytest.mark.e2e


def run(project, *args):
    return CliRunner().invoke(main, ["validate", "--project-dir", str(project),
                                     "--profiles-dir", str(project), *args])


def test_json_report_of_the_sample(built_sample, gx):
    done = run(built_sample, "--json")
    assert done.exit_code == 1, done.output          # the sample holds bad rows on purpose
    report = json.loads(done.output)
    assert report["ok"] is False and report["errors"] == []
    views = {v["view"]: v for v in report["views"]}
    assert {"omie_clientes", "omie_contas_receber", "omie_contratos_itens"} <= set(views)
    for view in views.values():
        assert view["valid"] + view["rejected"] == view["rows"]
        assert len(view["rejected_rows"]) == view["rejected"]
        for row in view["rejected_rows"]:
            assert row["key"] and row["reasons"]
            assert all(r["message"].startswith(r["field"].split(",")[0]) for r in row["reasons"])
    clientes = views["omie_clientes"]
    assert clientes["valid"] > 0 and clientes["rejected"] > 0
    messages = {row["key"]: [r["message"] for r in row["reasons"]] for row in clientes["rejected_rows"]}
    assert any("has wrong check digits" in m for ms in messages.values() for m in ms), messages
    receber = views["omie_contas_receber"]
    assert any("is not a real date" in r["message"]
               for row in receber["rejected_rows"] for r in row["reasons"])


def test_text_report_of_one_view(built_sample, gx):
    done = run(built_sample, "--select", "omie_clientes", "--first", "1")
    lines = done.output.splitlines()
    assert lines[0].startswith("omie_clientes") and "rejected" in lines[0]
    assert lines[1].startswith("  row ") and lines[2].startswith("    - ")
    assert not any(line.startswith("omie_projetos") for line in lines)


def test_unknown_selection_is_a_usage_error(built_sample):
    done = run(built_sample, "--select", "omie_nada")
    assert done.exit_code == 2 and "omie_nada" in done.output


def test_a_view_missing_from_the_warehouse_is_reported(built_sample, tmp_path):
    import shutil

    import duckdb

    project = tmp_path / "dbt_project"
    shutil.copytree(built_sample, project)
    con = duckdb.connect(str(project / "warehouse.duckdb"))
    con.execute("drop view omie_projetos")
    con.close()
    done = run(project, "--select", "omie_projetos", "--json")
    assert done.exit_code == 1
    (error,) = json.loads(done.output)["errors"]
    assert error["view"] == "omie_projetos"
    assert "Fix: run `dbt build --select omie_projetos` first." in error["error"]
