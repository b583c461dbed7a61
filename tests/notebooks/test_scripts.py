"""After the demo: each notebook runs as a script with no failing cell, the review's HTML export
holds the demo's refused rows with their reasons, the preview's plan is `omie-push --dry-run
--json`'s, and `omie-push runs` lists the demo's run."""
from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import sys

import duckdb
import pytest

from .conftest import BIN, IGNORE, NOTEBOOKS, ROOT, omie_push, run

FAILING = """import marimo
app = marimo.App()

@app.cell
def _():
    raise ValueError("a cell that fails")

if __name__ == "__main__":
    app.run()
"""


def notebook(name: str):
    """A notebook's marimo App, loaded as a module (nothing runs on import)."""
    spec = importlib.util.spec_from_file_location(f"notebook_{name}", NOTEBOOKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


def run_in_process(name: str, monkeypatch, *args: str) -> dict:
    """Run a notebook here (its cells in order, as a script does) and return its definitions:
    a cell that stopped or failed leaves its names out."""
    monkeypatch.setattr(sys, "argv", [str(NOTEBOOKS / f"{name}.py"), *args])
    return notebook(name).run()[1]


def rejected_in_results(project):
    con = duckdb.connect(str(project / "omie_results.duckdb"), read_only=True)
    try:
        return con.execute(
            "select r.key, r.reasons::varchar from row_results r join runs using (run_id) "
            "where r.status = 'rejected' and not runs.dry_run "
            "and r.run_id = (select run_id from runs where not dry_run "
            "order by started_at desc limit 1)").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("name", ["review", "preview", "sandbox"])
def test_each_notebook_runs_as_a_script_with_no_failing_cell(demo, name):
    done = run([sys.executable, NOTEBOOKS / f"{name}.py", "--project-dir", demo], ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr


def test_a_failing_cell_makes_the_script_fail(tmp_path):
    """The check above can fail: marimo exits non-zero when a cell raises."""
    path = tmp_path / "failing.py"
    path.write_text(FAILING)
    done = run([sys.executable, path], tmp_path)
    assert done.returncode != 0 and "a cell that fails" in done.stderr


def test_every_cell_of_the_sandbox_notebook_ran(demo, monkeypatch):
    """A script that stops early exits 0 too: the sandbox notebook's last cells defined their
    names (the review's and the preview's show theirs in the tests below)."""
    defs = run_in_process("sandbox", monkeypatch, "--project-dir", str(demo))
    assert {"kinds", "company_pick", "kind_pick"} <= set(defs)


def test_the_review_says_plainly_when_there_is_no_run_yet(tmp_path, monkeypatch):
    project = tmp_path / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=IGNORE)
    monkeypatch.setattr(sys, "argv", ["review.py", "--project-dir", str(project)])
    outputs, defs = notebook("review").run()
    shown = visible_text(" ".join(o.text for o in outputs if o is not None))
    assert "No run yet" in shown and str(project / "omie_results.duckdb") in shown
    assert "last" not in defs                    # the cells after it did not run
    assert not (project / "omie_results.duckdb").exists()


def visible_text(page: str) -> str:
    """The export's text with its layers of escaping undone (HTML entities, JSON escapes)."""
    for _ in range(4):
        page = html.unescape(page.replace("\\u0026", "&"))
    page = re.sub(r"\\+u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
    return re.sub(r'\\+"', '"', page)


def test_export_html_holds_the_demos_refused_rows_with_their_reasons(demo, tmp_path):
    out = tmp_path / "review.html"
    done = run([BIN / "marimo", "export", "html", NOTEBOOKS / "review.py", "-o", out,
                "--", "--project-dir", demo], ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    text = visible_text(out.read_text(encoding="utf-8"))
    rejected = rejected_in_results(demo)
    assert len(rejected) == 6          # the sample's bad rows (dbt_project/seeds/README.md)
    for key, reasons in rejected:
        for reason in json.loads(reasons):
            line = f'"key":"{key}","field":"{reason["field"]}"'
            assert line in text, line
            line = f'"reason":"{reason["message"]}","expectation":"{reason["expectation"]}"'
            assert line in text, line


def test_the_previews_plan_is_the_dry_run_of_the_command(demo, monkeypatch):
    """Contas a receber: lots, a rejected row, and a row to send (so a payload to show)."""
    from click.testing import CliRunner

    from omie_push.cli import main

    view = "omie_contas_receber"
    defs = run_in_process("preview", monkeypatch, "--project-dir", str(demo), "--view", view)
    plan = defs["plan"].report.as_json()
    result = CliRunner().invoke(main, ["--project-dir", str(demo), "--dry-run", "--json",
                                       "--select", view])
    command = json.loads(result.stdout)
    assert plan.pop("run_id") != command.pop("run_id")
    assert plan.pop("duration_seconds") > 0 and command.pop("duration_seconds") > 0
    assert set(plan.pop("timings")) == set(command.pop("timings"))   # how long, not what
    assert plan.pop("loop_lag_max_ms") >= 0 and command.pop("loop_lag_max_ms") >= 0
    assert plan == command
    # CR-0901 is rejected; CR-0902, whose client was refused, goes when only its view is pushed
    assert command["endpoints"][view]["rejected"] == 1 and command["endpoints"][view]["to_send"] == 1
    assert {"diff", "to_send", "accepted"} <= set(defs)   # the row's payload and its diff


def test_omie_push_runs_lists_the_demos_run(demo):
    done = omie_push(demo, "runs", "--no-dry-runs", "--json")
    runs = json.loads(done.stdout)["runs"]
    assert runs and runs[-1]["target"] == "sandbox"
    assert runs[-1]["counts"]["rejected"] == 6 and runs[-1]["counts"]["held"] == 1
    assert runs[-1]["counts"]["sent"] > 100
