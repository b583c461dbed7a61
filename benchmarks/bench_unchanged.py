"""A run where nothing changed: N clientes already accepted by Omie, then the next pushes.

How the N rows come to be accepted (`--first-push`):
- `omie-push` (honest, slow): a real `omie-push --target served` against the sandbox in its own
  process, limits off. omie-push sends clientes one UpsertCliente per row (client/lots.py: the
  deprecated UpsertClientesPorLote answers one status per lot), about 29 rows a second on main
  (5,000 rows: 172 s), so 100k rows would take about an hour.
- `seeded` (default, fast): the payload and hash omie-push would send for each row (push.columnar,
  the dry run's own path: a dry run keeps only its first 10,000 payloads); those very payloads go
  to the sandbox in lots of 50 (UpsertClientesPorLote, real HTTP), the ledger gets one entry per
  row with that hash and the id the sandbox gave (the ledger table of docs/architecture.md, in
  one insert), and `runs` the finished push's row. Omie and the results then hold what a real
  first push leaves.

  The drift check's starting point (drift_checks.since) is set to the latest change the sandbox
  holds, as a check made just after that push leaves it. Without it, the next push's drift check
  starts the day before the first acceptance and lists every record once: 200 ListarClientes
  pages for 100k clientes, and the sandbox answers such a page in about 10 s at that size (it
  filters every record per page), so that one-time listing is not part of `make bench`.

Then three real pushes (not dry runs) are measured, nothing having changed. The first two are
the budget's: target `quiet`, whose drift check is spaced (`drift_check_minutes: 60`, docs/drift.md),
so with nothing to write and the last check minutes old they must make no call at all (the
preflight waits for a first call, push/run.py). The third is the default (`served`: the drift
check lists on every run): one ListarClientes page, after the preflight. For each: wall time and
its own peak RSS, its report, the calls the SANDBOX saw (counted in front of the app), beside
the floor.

    .venv/bin/python benchmarks/bench_unchanged.py --rows 100000

The last line is `RESULT {json}` for benchmarks/bench_report.py.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb
import httpx
import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from bench_data import make_project  # noqa: E402
from bench_run import floor, omie_push  # noqa: E402
from bench_sandbox import ACCOUNTS, counting_sandbox  # noqa: E402

from omie_push.catalog.reads import read_of  # noqa: E402

VIEW = "omie_clientes"
KEY = "bench-key"
WRITES = ("Upsert", "Incluir", "Alterar", "Excluir", "Associar")


def minus(after: dict, before: dict) -> dict:
    return {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0)}


def first_push(project: Path, env: dict, rows: int) -> float:
    """The honest first push; returns its wall seconds."""
    first = omie_push(project, "--target", "served", env=env)
    report = first.json().get("endpoints", {}).get(VIEW, {})
    if first.code != 0 or report.get("sent") != rows:
        raise RuntimeError(f"the first push did not land every row (exit {first.code}): "
                           f"{report} {first.stderr[-3000:]}")
    return first.wall


def planned_payloads(project: Path) -> list[tuple[str, str, str]]:
    """(key, payload hash, payload text) of every row of the view, as omie-push computes them
    (push.columnar: the dry run's own path; a dry run keeps only its first payloads)."""
    from omie_push.catalog import get
    from omie_push.push import columnar

    con = duckdb.connect(str(project / "warehouse.duckdb"), read_only=True)
    try:
        frame = pl.from_arrow(con.sql(f"select * from {VIEW}").to_arrow_table())
    finally:
        con.close()
    texts = columnar.payload_texts(get("clientes"), frame)
    if texts.null_count():
        raise RuntimeError(f"{texts.null_count()} rows need the row path: the seeding cannot "
                           f"land them; use --first-push omie-push")
    hashes = columnar.sha256_hex(texts)
    return list(zip(frame["codigo_cliente_integracao"].cast(pl.String).to_list(),
                    hashes.to_list(), texts.to_list()))


def seeded_push(project: Path, env: dict, rows: int, url: str, state: Path) -> float:
    """omie-push's payloads landed by UpsertClientesPorLote, the ledger written in one go, and
    the runs row and drift check a real first push leaves."""
    started = time.perf_counter()
    dry = omie_push(project, "--target", "served", "--dry-run", env=env)   # creates the store
    run_id = dry.json().get("run_id")
    planned = planned_payloads(project)
    if len(planned) != rows:
        raise RuntimeError(f"{len(planned)} payloads for {rows} rows")
    with httpx.Client(timeout=60) as http:
        for at in range(0, rows, 50):
            lot = [json.loads(p) for _, _, p in planned[at:at + 50]]
            answer = http.post(f"{url}/geral/clientes/", json={
                "call": "UpsertClientesPorLote", "app_key": KEY, "app_secret": ACCOUNTS[KEY],
                "param": [{"lote": at // 50 + 1, "clientes_cadastro": lot}]})
            if answer.status_code != 200:
                raise RuntimeError(f"UpsertClientesPorLote lot {at // 50 + 1}: {answer.text[:500]}")
    with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as sandbox:
        ids = dict(sandbox.execute("select code, id from records where company = ? and "
                                   "kind = 'cliente'", [KEY]).fetchall())
    frame = pl.DataFrame({"key": [k for k, _, _ in planned], "payload_hash": [h for _, h, _ in planned],
                          "omie_id": [ids.get(k) for k, _, _ in planned]})
    con = duckdb.connect(str(project / "omie_results.duckdb"))
    try:
        seeded = f"seeded-{run_id}"
        con.register("seeded", frame.to_arrow())
        con.execute("insert into ledger (company, endpoint, key, payload_hash, omie_id, run_id, "
                    "accepted_at) select ?, 'clientes', key, payload_hash, omie_id, ?, now() "
                    "from seeded", [KEY, seeded])
        con.execute("insert into drift_checks (company, endpoint, since, run_id, checked_at, calls) "
                    "values (?, 'clientes', ?, ?, now(), 1)", [KEY, latest_change(state), seeded])
        # the push's own row in runs: what a finished push leaves (its preflight proved the URL)
        con.execute("insert into runs (run_id, target, company, started_at, finished_at, dry_run, "
                    "full_refresh, options, outcome, exit_code) values (?, 'served', ?, now(), now(), "
                    "false, false, ?, 'success', 0)", [seeded, KEY, json.dumps({"base_url": url})])
    finally:
        con.close()
    return time.perf_counter() - started


def latest_change(state: Path) -> str:
    """The latest 'dd/mm/aaaa hh:mm:ss' change among the sandbox's clientes (their info block,
    read as the drift check reads a listed record)."""
    reading = read_of("clientes")
    with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as sandbox:
        rows = sandbox.execute("select data from records where company = ? and kind = 'cliente'", [KEY])
        stamps = [reading.stamp_of(json.loads(data)) for (data,) in rows]
    moments = [f"{d} {h or '00:00:00'}" for _, d, h in stamps if d]
    return max(moments, key=lambda m: datetime.strptime(m, "%d/%m/%Y %H:%M:%S"))


QUIET = """  quiet:
    base_url: "{{ env_var('BENCH_OMIE_URL', 'http://127.0.0.1:9/api/v1') }}"
    app_key: bench-key
    app_secret: "{{ env_var('BENCH_OMIE_SECRET', 'bench-secret') }}"
    budgets: {calls_per_minute_per_method: 100000000, calls_per_minute_per_ip: 100000000,
              redundant_window_seconds: 0.01}
    drift_check_minutes: 60
"""
# (label, target): the budget's pushes with the drift check spaced, then one with the default
PUSHES = (("first push after the initial one", "quiet"), ("the one after", "quiet"),
          ("the one after that, drift checked every run (the default)", "served"))


def measured(project: Path, env: dict, counts, target: str) -> dict:
    """One real push where nothing changed: what it took and what the sandbox saw."""
    before = counts()["calls"]
    run = omie_push(project, "--target", target, env=env)
    seen = minus(counts()["calls"], before)
    report = run.json()
    endpoint = report.get("endpoints", {}).get(VIEW, {})
    return {"wall_s": run.wall, "peak_mb": run.peak_mb, "exit": run.code,
            "duration_s": report.get("duration_seconds"), "unchanged": endpoint.get("unchanged"),
            "sent": endpoint.get("sent"), "calls_seen": seen,
            "writes_seen": sum(n for call, n in seen.items() if call.startswith(WRITES)),
            "timings": (report.get("timings") or {}).get(VIEW), "loop_lag_max_ms": report.get("loop_lag_max_ms"),
            "drift": (report.get("drift") or {}).get(VIEW)}


def run(rows: int, tmp: str | None, how: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-unchanged-", dir=tmp) as root:
        project = make_project(Path(root) / "proj", rows, (VIEW,))
        with (project / "omie_push.yml").open("a") as config:
            config.write(QUIET)
        state = Path(root) / "sandbox.sqlite"
        with counting_sandbox(str(state)) as (url, counts):
            env = {"BENCH_OMIE_URL": url}
            took = (first_push(project, env, rows) if how == "omie-push"
                    else seeded_push(project, env, rows, url, state))
            seen_first = counts()["calls"]
            runs = [{"label": label, "target": target, **measured(project, env, counts, target)}
                    for label, target in PUSHES]
        base = floor(project, VIEW)
    for r in runs:
        r["ratio"] = r["wall_s"] / base.wall
    return {"rows": rows, "first_push": how, "first_push_s": took, "first_push_calls": seen_first,
            "runs": runs, "floor_s": base.wall, "floor_mb": base.peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tmp", default=None)
    parser.add_argument("--first-push", choices=("seeded", "omie-push"), default="seeded")
    args = parser.parse_args()
    r = run(args.rows, args.tmp, args.first_push)
    print(f"first push of {r['rows']:,} clientes ({r['first_push']}): {r['first_push_s']:.1f} s, "
          f"the sandbox saw {r['first_push_calls']}")
    print(f"floor: {r['floor_s']:.2f} s, {r['floor_mb']:.0f} MB")
    for m in r["runs"]:
        print(f"{m['label']} (nothing changed): {m['wall_s']:.2f} s ({m['ratio']:.1f}x the floor), peak "
              f"{m['peak_mb']:.0f} MB, exit {m['exit']}; unchanged {m['unchanged']}, sent {m['sent']}; "
              f"the sandbox saw {m['calls_seen'] or 'no call'} (writes: {m['writes_seen']})")
    print("RESULT " + json.dumps(r))


if __name__ == "__main__":
    main()
