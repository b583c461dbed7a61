"""omie-push's own CPU per Omie call (issue 16): a real `omie-push` process pushing N clientes
(one call each) and N contas a receber (in lots of 50, UpsertContaReceberPorLote) to the
sandbox served by another process with its limits off, budgets raised so pacing does not bound.

    .venv/bin/python benchmarks/call_cpu.py --rows 2000
    .venv/bin/python benchmarks/call_cpu.py --rows 2000 --profile /tmp/call.prof   # cProfile

The push process's CPU (user + system, of the reaped child) is measured for the first push (every row
sent) and for a second push of the same views (every row unchanged: no call; the same start-up,
dbt reads, validation and diff). Their difference over the calls is the CPU each call costs:
`cpu_ms_per_call`. `cpu_ms_per_call_gross` divides the first push's whole CPU by its calls.
The last line is `RESULT {json}` (calls, wall_s, cpu_s, cpu_ms_per_call, calls_per_s, ...).
`--py-spy FILE` samples every thread (py-spy on PATH); cProfile (`--profile`) sees only the main one.

Where the time went (issue 16; py-spy of every thread, and each thread's CPU timed in-process):
before, the writer thread (push/recorder.py) made a new DuckDB connection per drain (~25 ms
of CPU: `duckdb.connect()` alone costs ~21 ms) and wrote each intent and answer in its own
transaction of one to four statements (~2-6 ms each); it drained as soon as anything was queued,
so it ran on a core all the time with one or two writes per drain, and a lot's fifty results
were awaited one after the other (fifty drains per lot). The main thread (httpx, the sender, the
pusher) cost ~2 ms per call. After: the writer keeps one in-memory DuckDB connection (one
thread) and attaches the file per drain (~2 ms), writes each drain's intents and answers in one
transaction of a few multi-row statements, waits 10 ms after a lone write and up to 400 ms
while writes keep coming, and a lot's results are written together.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).parent))
from sandbox_process import ACCOUNTS, sandbox_process  # noqa: E402
from traffic_rows import cpf  # noqa: E402

OMIE_PUSH_YML = """
target: bench
targets:
  bench:
    base_url: {url}
    app_key: {key}
    app_secret: {secret}
    lot_size: {lot}
    budgets: {{calls_per_minute_per_method: 100000000, calls_per_minute_per_ip: 100000000,
              writes_in_flight_per_method: {in_flight}, reads_in_flight_per_method: 4}}
"""
PROFILES = """
bench:
  target: dev
  outputs:
    dev: {type: duckdb, path: "{{ env_var('DBT_PROJECT_DIR', '.') }}/warehouse.duckdb"}
"""
STATUSES = ("sent", "unchanged", "rejected", "failed", "held", "not_attempted")
VIEWS = {
    "omie_clientes": ("clientes", """select codigo_cliente_integracao, razao_social, cnpj_cpf,
        'SAO PAULO (SP)' as cidade, 'SP' as estado from people"""),
    "omie_contas_receber": ("contas_receber", """select 'R' || lpad(i::varchar, 6, '0')
        as codigo_lancamento_integracao, codigo_cliente_integracao as
        codigo_cliente_fornecedor_integracao, date '2026-12-10' as data_vencimento,
        100.0 + i as valor_documento, '1.01.02' as codigo_categoria,
        4850011001 as id_conta_corrente from people"""),
}


def make_project(root: Path, url: str, rows: int, lot: int, in_flight: int) -> None:
    """A dbt project's artifacts and warehouse, written directly (no dbt run is measured)."""
    (root / "target").mkdir(parents=True)
    (root / "dbt_project.yml").write_text("name: bench\nprofile: bench\n")
    (root / "profiles.yml").write_text(PROFILES)
    key, secret = next(iter(ACCOUNTS.items()))
    (root / "omie_push.yml").write_text(OMIE_PUSH_YML.format(url=url, key=key, secret=secret,
                                                             lot=lot, in_flight=in_flight))
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    con.execute("create table people (i integer, codigo_cliente_integracao varchar, "
                "razao_social varchar, cnpj_cpf varchar)")
    con.executemany("insert into people values (?, ?, ?, ?)",
                    [(i, f"C{i:06d}", f"Cliente {i} Ltda", cpf(i)) for i in range(rows)])
    nodes = {}
    for view, (endpoint, sql) in VIEWS.items():
        con.execute(f"create view {view} as {sql}")
        nodes[f"model.bench.{view}"] = {
            "resource_type": "model", "name": view, "database": "warehouse", "schema": "main",
            "alias": view, "config": {"meta": {"omie": {"endpoint": endpoint}}}}
    con.close()
    (root / "target" / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    (root / "target" / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": uid, "status": "success"} for uid in nodes]}))


def push(root: Path, profile: str | None, spy: str | None = None) -> tuple[dict, float, float]:
    """One `omie-push --json` process: (its report, wall seconds, CPU seconds)."""
    command = [str(Path(sys.executable).parent / "omie-push"), "push", "--project-dir", str(root),
               "--yes", "--json"]
    if profile:
        command = [sys.executable, "-m", "cProfile", "-o", profile, "-m", "omie_push.cli",
                   *command[1:]]
    if spy:   # every thread sampled (cProfile sees only the main one), collapsed stacks
        command = [shutil.which("py-spy") or "py-spy", "record", "--format", "raw", "--threads",
                   "-r", "200", "-o", spy, "--", *command]
    env = {**os.environ, "DBT_PROJECT_DIR": str(root)}
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = child.communicate()
    wall = time.monotonic() - started
    cpu = _last_child_usage()      # communicate() reaped it: the one child ended since
    if child.returncode not in (0, 1):
        raise SystemExit(f"omie-push exited {child.returncode}: {err.decode()[-2000:]}")
    lines = [line for line in out.decode().splitlines() if line.startswith("{")]
    return json.loads(lines[-1]), wall, cpu      # (py-spy writes its own lines too)


_SEEN = [0.0]


def _last_child_usage() -> float:
    """CPU seconds (user + system) of the child reaped since the last call."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = ru.ru_utime + ru.ru_stime
    spent, _SEEN[0] = total - _SEEN[0], total
    return spent


def calls_of(report: dict, rows: int, lot: int) -> int:
    """The write calls: one per cliente sent, one per lot of receivables sent."""
    sent = {view: counts.get("sent", 0) for view, counts in report["endpoints"].items()}
    lots = -(-sent.get("omie_contas_receber", 0) // lot) if lot > 1 else sent.get("omie_contas_receber", 0)
    return sent.get("omie_clientes", 0) + lots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--lot", type=int, default=50, help="lot_size of contas a receber")
    parser.add_argument("--in-flight", type=int, default=1, help="writes in flight per method")
    parser.add_argument("--latency-ms", default=None, help="the sandbox's latency, e.g. 5-15")
    parser.add_argument("--profile", default=None, help="write the first push's cProfile here")
    parser.add_argument("--py-spy", default=None, help="write the first push's py-spy samples "
                        "(collapsed stacks, every thread) here; CPU figures then include py-spy's")
    args = parser.parse_args()
    _last_child_usage()
    with tempfile.TemporaryDirectory(prefix="call-cpu-") as tmp, \
            sandbox_process(limits="off", latency_ms=args.latency_ms) as url:
        root = Path(tmp) / "proj"
        make_project(root, url, args.rows, args.lot, args.in_flight)
        report, wall, cpu = push(root, args.profile, args.py_spy)
        calls = calls_of(report, args.rows, args.lot)
        again, wall2, cpu2 = push(root, None)
    counts = {view: {k: v for k, v in c.items() if v and k in STATUSES} for view, c in report["endpoints"].items()}
    print(f"first push:  {counts}")
    for refused in report.get("refused", [])[:2] + report.get("refused", [])[-2:]:
        print(f"  refused: {refused}")
    print(f"  {calls} write calls in {wall:.2f} s ({calls / wall:.1f} calls/s), "
          f"omie-push CPU {cpu:.2f} s ({1000 * cpu / calls:.2f} ms per call, gross)")
    print(f"second push (all unchanged, no call): {wall2:.2f} s, CPU {cpu2:.2f} s")
    net = max(0.0, cpu - cpu2)
    print(f"CPU per call, net of the run's fixed cost: {1000 * net / calls:.2f} ms")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("RESULT " + json.dumps({
        "calls": calls, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
        "cpu_ms_per_call": round(1000 * net / calls, 3),
        "cpu_ms_per_call_gross": round(1000 * cpu / calls, 3),
        "calls_per_s": round(calls / wall, 1), "fixed_cpu_s": round(cpu2, 3),
        "rows": args.rows, "lot": args.lot, "load": round(load[0], 2)}))


if __name__ == "__main__":
    main()
