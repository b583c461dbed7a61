"""How the read layer reaches the results file: from omie_push.yml as the push does, read-only,
closed before it returns (a writer in another process gets in right after), plain words when
there is no run yet or a writer holds the file, and a store whose shape grew still reads."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from omie_push.review import source, tables
from omie_push.store.schema import DDL

from .conftest import Pushed, make_project

WRITER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("insert or replace into runs (run_id, outcome) values ('from-writer', 'running')")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
""")


def test_no_run_yet_is_said_plainly(tmp_path):
    project = make_project(tmp_path / "proj")      # its views made the file, with no run in it
    results = source.locate(project.root)
    for _ in ("a file without runs", "no file at all"):
        snap = tables.snapshot(results)
        assert snap.empty and snap.rows.height == 0
        assert snap.message().startswith("No run yet") and str(results.path) in snap.message()
        results.path.unlink(missing_ok=True)
    assert not results.path.exists()          # reading created nothing


def test_the_results_are_where_omie_push_yml_says(tmp_path):
    project = make_project(tmp_path / "proj")
    config = project.root / "omie_push.yml"
    config.write_text("results_path: elsewhere/pushed.duckdb\n" + config.read_text())
    out = Pushed(project, []).push()
    results = source.locate(project.root)
    assert results.path == (project.root / "elsewhere" / "pushed.duckdb").resolve()
    assert tables.snapshot(results).runs["run_id"].to_list() == [out["run_id"]]


def test_a_read_leaves_the_file_closed_for_a_writer_in_another_process(fresh):
    results = source.locate(fresh.root)
    tables.snapshot(results)
    done = subprocess.run([sys.executable, "-c", WRITER, str(results.path), "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "from-writer" in tables.snapshot(results).runs["run_id"].to_list()


def test_while_a_writer_holds_the_file_a_read_says_so(fresh, monkeypatch):
    results = source.locate(fresh.root)
    monkeypatch.setattr(source, "BUSY_WAIT_SECONDS", 0.5)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(results.path), "30"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with pytest.raises(source.ResultsBusy, match="being written right now"):
            tables.snapshot(results)
        assert time.monotonic() - started < 10
    finally:
        writer.kill()
        writer.wait()


def test_a_store_with_more_tables_and_columns_than_today_still_reads(tmp_path):
    """Issue 10's journal, issue 14's company per row: the reader keeps what it knows."""
    path = tmp_path / "omie_results.duckdb"
    con = duckdb.connect(str(path))
    con.execute(DDL)
    con.execute("create table journal (run_id varchar, key varchar, state varchar)")
    con.execute("alter table row_results add column company varchar")
    con.execute("alter table runs drop column options")
    con.execute("insert into runs (run_id, started_at, dry_run, outcome) "
                "values ('r1', now(), false, 'success')")
    con.execute("insert into row_results (run_id, endpoint, view, key, status, company) "
                "values ('r1', 'clientes', 'omie_clientes', 'C-1', 'sent', 'k')")
    con.close()
    snap = tables.snapshot(source.Results(tmp_path, path))
    from omie_push.store.schema import TABLES

    known = {"ledger", "runs", "row_results", "drift", "drift_checks"}   # drift: review/drift.py
    assert set(snap.other_tables) == {"journal", *(set(TABLES) - known)}
    assert snap.runs["options"].to_list() == [None]
    assert snap.rows_of("r1").select("key", "status").rows() == [("C-1", "sent")]
