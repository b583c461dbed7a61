"""A run where nothing changed: N clientes already accepted by Omie, then the next pushes.

How the N rows come to be accepted (`--first-push`):
- `omie-push` (honest, slow): a real `omie-push --target served` against the sandbox in its own
  process, limits off. omie-push sends clientes one UpsertCliente per row (client/lots.py: the
  deprecated UpsertClientesPorLote answers one status per lot), about 29 rows a second on main
  (5,000 rows: 172 s), so 100k rows would take about an hour.
- `seeded` (default, fast): omie-push's own dry run records, per row, the payload and hash it
  would send (row_results, status not_attempted); those very payloads go to the sandbox in lots of
  50 (UpsertClientesPorLote, real HTTP), and the ledger gets one entry per row with that hash and
  the id the sandbox gave (the ledger table of docs/architecture.md, in one insert). Omie and the
  ledger then hold what a real first push leaves.

  The drift check's starting point (drift_checks.since) is set to the latest change the sandbox
  holds, as a check made just after that push leaves it. Without it, the next push's drift check
  starts the day before the first acceptance and lists every record once: 200 ListarClientes
  pages for 100k clientes, and the sandbox answers such a page in about 10 s at that size (it
  filters every record per page), so that one-time listing is not part of `make bench`.

Then two real pushes (not dry runs) are measured, nothing having changed. For each: wall time
and its own peak RSS, its report, the calls the SANDBOX saw (counted in front of the app; writes
must be 0, the drift check one List page), beside the floor.

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


def seeded_push(project: Path, env: dict, rows: int, url: str, state: Path) -> float:
    """omie-push's dry-run payloads landed by UpsertClientesPorLote, the ledger written in one go."""
    started = time.perf_counter()
    dry = omie_push(project, "--target", "served", "--dry-run", env=env)
    run_id = dry.json().get("run_id")
    results = project / "omie_results.duckdb"
    con = duckdb.connect(str(results))
    try:
        planned = con.execute("select key, payload_hash, payload::varchar from row_results where "
                              "run_id = ? and status = 'not_attempted' and payload is not null",
                              [run_id]).fetchall()
        if len(planned) != rows:
            raise RuntimeError(f"the dry run {run_id} recorded {len(planned)} payloads of {rows} rows "
                               f"(row_results, status not_attempted): use --first-push omie-push")
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
        con.register("seeded", frame.to_arrow())
        con.execute("insert into ledger (company, endpoint, key, payload_hash, omie_id, run_id, "
                    "accepted_at) select ?, 'clientes', key, payload_hash, omie_id, ?, now() "
                    "from seeded", [KEY, f"seeded-{run_id}"])
        con.execute("insert into drift_checks (company, endpoint, since, run_id, checked_at, calls) "
                    "values (?, 'clientes', ?, ?, now(), 1)", [KEY, latest_change(state), f"seeded-{run_id}"])
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


def measured(project: Path, env: dict, counts) -> dict:
    """One real push where nothing changed: what it took and what the sandbox saw."""
    before = counts()["calls"]
    run = omie_push(project, "--target", "served", env=env)
    seen = minus(counts()["calls"], before)
    report = run.json()
    endpoint = report.get("endpoints", {}).get(VIEW, {})
    return {"wall_s": run.wall, "peak_mb": run.peak_mb, "exit": run.code,
            "duration_s": report.get("duration_seconds"), "unchanged": endpoint.get("unchanged"),
            "sent": endpoint.get("sent"), "calls_seen": seen,
            "writes_seen": sum(n for call, n in seen.items() if call.startswith(WRITES)),
            "timings": (report.get("timings") or {}).get(VIEW), "loop_lag_max_ms": report.get("loop_lag_max_ms")}


def run(rows: int, tmp: str | None, how: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-unchanged-", dir=tmp) as root:
        project = make_project(Path(root) / "proj", rows, (VIEW,))
        state = Path(root) / "sandbox.sqlite"
        with counting_sandbox(str(state)) as (url, counts):
            env = {"BENCH_OMIE_URL": url}
            took = (first_push(project, env, rows) if how == "omie-push"
                    else seeded_push(project, env, rows, url, state))
            seen_first = counts()["calls"]
            runs = [measured(project, env, counts) for _ in range(2)]
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
    for label, m in zip(("first push after", "the one after"), r["runs"]):
        print(f"{label} (nothing changed): {m['wall_s']:.2f} s ({m['ratio']:.1f}x the floor), peak "
              f"{m['peak_mb']:.0f} MB, exit {m['exit']}; unchanged {m['unchanged']}, sent {m['sent']}; "
              f"the sandbox saw {m['calls_seen'] or 'no call'} (writes: {m['writes_seen']})")
    print("RESULT " + json.dumps(r))


if __name__ == "__main__":
    main()
