"""One pushing run at a time per results store and company; a killed run's lock is stale and
cleared by the next run (issue 10, item 10)."""
from __future__ import annotations

import socket

from .conftest import KEY, kill, served_sandbox


def test_a_second_push_is_refused_while_one_runs_and_the_killed_ones_lock_is_cleared(project, tmp_path):
    with served_sandbox() as sb:
        project.aim(sb.url, tmp_path / "results.duckdb", timeout=300)
        sb.tap.arm("UpsertCliente", 1, "held")
        child = project.spawn()
        try:
            assert sb.tap.hit.wait(120)
            second = project.push()
            assert second.exit_code == 2, second.text
            assert "another omie-push run" in second.text and f"pid {child.pid}" in second.text
            assert "Fix:" in second.text
            held = project.results_rows("select pid, host from run_locks where company = ?", KEY)
            assert held == [(child.pid, socket.gethostname())]
        finally:
            kill(child)
            sb.tap.release()
        after = project.push()
        assert after.exit_code in (0, 1), after.text
        outcomes = dict(project.results_rows("select run_id, outcome from runs"))
        assert sorted(outcomes.values()) == ["finished with refused rows" if after.exit_code else
                                             "success", "interrupted"]
        assert project.results_rows("select count(*) from run_locks") == [(0,)]


def test_a_lock_left_by_a_dead_process_is_stale_and_a_live_ones_is_not(project, tmp_path):
    import os
    import subprocess
    import sys

    from omie_push.errors import ProjectError
    from omie_push.store import locks
    from omie_push.store.ledger import now
    from omie_push.store.results import ResultsFile

    results = ResultsFile(tmp_path / "results.duckdb")
    results.create()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    with results.transaction() as con:
        con.execute("insert into run_locks values (?, 'killed-run', ?, ?, ?)",
                    [KEY, int(dead), socket.gethostname(), now()])
    with results.transaction() as con:
        stale = locks.acquire(con, KEY, "new-run", now())
    assert stale.run_id == "killed-run"
    with results.transaction() as con:
        con.execute("update run_locks set pid = ? where company = ?", [os.getpid(), KEY])
    with results.transaction() as con:
        try:
            locks.acquire(con, KEY, "third-run", now())
            raise AssertionError("a live run's lock was taken over")
        except ProjectError as exc:
            assert "new-run" in str(exc)
    with results.transaction() as con:        # another company is not held back
        assert locks.acquire(con, "another-app-key", "other-run", now()) is None
