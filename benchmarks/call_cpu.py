"""omie-push's own CPU per Omie call (issue 16): a real `omie-push` process pushing N clientes
(one call each) and N contas a receber (in lots of 50, UpsertContaReceberPorLote) to the
sandbox served by another process with its limits off, budgets raised so pacing does not bound.

    .venv/bin/python benchmarks/call_cpu.py --rows 2000
    .venv/bin/python benchmarks/call_cpu.py --rows 2000 --profile /tmp/call.prof   # cProfile

How it is measured: `omie-push` runs in a small harness (`_HARNESS`) that adds up the process's
own CPU (user + system, RUSAGE_SELF: every thread of the process, none of its children) while
any `OmieSender.send` runs: the window holds everything a call costs (the pacing, the retry
loop, httpx, the journal's intent made durable before each write, each answer's row result,
ledger entry and intent resolution made durable by the writer thread, the per-call progress)
and none of the run's own costs (process start and imports, the dbt profile, reading,
validating and diffing the views, the preflight and drift reads, the run's summary). GX judges
a run's rows once, in its own process (validate/gx_worker.py), a child: not in RUSAGE_SELF.
`cpu_ms_per_call` is that CPU over the write calls (one per cliente, one per lot of 50
receivables), the median of `--trials` (3) trials, each on a fresh sandbox and project;
`thread_ms_per_call` splits it by thread. Cross-check: `cpu_ms_per_call_net`, the first push's
whole CPU less a second push's (same views, every row unchanged, no call), over the calls;
`cpu_ms_per_call_gross`, the first push's whole CPU over its calls. Before issue 16's
re-measurement the figure was the reaped child's CPU less the second push's: it counted the GX
worker (a child, waited for at exit; ~2 ms a call at 2,000 rows, and no GX runs in the second
push) and the noise of two start-ups. The machine's load average is printed and in RESULT
(`load`: the highest seen): on the 2-core build machine a busy neighbour makes every figure
larger, as it shares the caches and the cores.
The last line is `RESULT {json}` (calls, wall_s, cpu_ms_per_call, calls_per_s, load, ...).
`--py-spy FILE` samples every thread (py-spy on PATH); cProfile (`--profile FILE`) sees only
the main one. Either slows the first trial's push, whose figures then include the profiler's.

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

Where the time goes now (the harness's per-thread split, and cProfile with a CPU clock on the
main thread; 2-core build machine shared with other jobs, load average 4-10 while measured):
- the main thread, ~1.4-2.0 ms a call: httpx and below (httpcore, h11, anyio) about two thirds,
  ~1.0-1.2 ms (a bare `handle_async_request` loop to the same sandbox costs ~0.9-1.1 ms); the
  rest is asyncio's machinery (a task per row, the lane's semaphore, the futures of the intent
  and the answer), the retry loop (tenacity, ~0.04 ms), the intent's and the answer's records
  (~0.05 ms each), the pacing (~0.01 ms) and run.py's 5 ms loop-lag probe (~0.1 ms at 50 calls/s).
  (Calling the client's transport directly would save ~0.3 ms more, skipping httpx's URL
  merge, auth flow, redirects, cookies and log record; not done: it needs httpx's private
  `_transport_for_url`, and httpx's own AsyncClient stays the one path.)
- the writer thread, ~0.5-1.0 ms a call: per drain ~20-30 ms whatever its size (attach ~2 ms,
  the intents' insert ~3-4, row_results ~2-4, the ledger's upsert ~5-8, the intents' resolution
  ~2-4, commit ~1-2, detach with its checkpoint ~3-10); ~30 drains for the 2,000 clientes, 7
  for the 40 lots (16 lots in progress; with 4, 20 drains). Before: VALUES lists bound value by
  value (~0.14 ms a row and statement), intents and answers interleaved in a drain each cost
  their own statements, every intent an upsert, and pyarrow's first table imported pandas
  (~0.4 s) inside the sending.
- everything else while sending (the GX worker's pipe thread, the default executor): ~0.
The figure swings with the neighbours' load (one commit measured 2.2-2.8 ms within ten
minutes at load 5-7), so compare commits interleaved on the same machine, as in the commits'
messages. Not in this figure: at Omie's pace (240 calls a minute per method) the writer drains
once or twice per call, so a call costs a whole drain: `--rows 100` with the budgets at Omie's
gave ~28 ms a call (writer ~22 ms; at load 7.6).
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
from dataclasses import dataclass
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


# The `omie-push` command run inside a small harness. While any `OmieSender.send` runs (the
# window: the calls, their pacing and retries, the journal's intents before each write and every
# answer made durable, on any thread) it adds up the process's own CPU (RUSAGE_SELF: every thread
# of this process, none of its children) and each thread's; at exit (after Python has joined
# the threads it started) it writes those and the whole process's CPU to CALL_CPU_OUT.
_HARNESS = r"""
import atexit, collections, json, os, re, resource, sys, threading, time

def own():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

def per_thread():
    out = {}
    for thread in threading.enumerate():
        try:
            out[thread.ident] = (thread.name, time.clock_gettime(
                time.pthread_getcpuclockid(thread.ident)))
        except (OSError, TypeError):
            pass
    return out

window = {"active": 0, "cpu": 0.0, "start": None, "threads": None, "sends": 0}
threads = collections.Counter()

def opened():
    if window["active"] == 0:
        window["start"], window["threads"] = own(), per_thread()
    window["active"] += 1

def closed():
    window["active"] -= 1
    if window["active"] == 0:
        window["cpu"] += own() - window["start"]
        before = window["threads"]
        for ident, (name, cpu) in per_thread().items():
            spent = cpu - before.get(ident, (name, 0.0))[1]
            threads[re.sub(r"_[0-9]+$", "", name)] += spent

from omie_push.client.sender import OmieSender
_send = OmieSender.send

async def send(self, *args, **kwargs):
    opened()
    try:
        return await _send(self, *args, **kwargs)
    finally:
        closed()
        window["sends"] += 1
OmieSender.send = send

profiler = None
if os.environ.get("CALL_CPU_PROFILE"):       # --profile: the main thread's cProfile
    import cProfile
    profiler = cProfile.Profile()

def dump():
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(os.environ["CALL_CPU_PROFILE"])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(os.environ["CALL_CPU_OUT"], "w") as out:
        json.dump({"own": own(), "children": children.ru_utime + children.ru_stime,
                   "window": window["cpu"], "sends": window["sends"],
                   "threads": dict(threads)}, out)
atexit.register(dump)
sys.argv = ["omie-push", *sys.argv[1:]]
from omie_push.cli import main
if profiler is not None:
    profiler.enable()
main(prog_name="omie-push")
"""


@dataclass
class Push:
    """One `omie-push --json` process: its report, wall seconds and CPU seconds."""

    report: dict
    wall: float
    own: float                  # the whole process, every thread, no child
    children: float             # its children: the GX worker
    window: float               # the process while sending (every thread)
    threads: dict[str, float]   # each thread while sending


def push(root: Path, profile: str | None, spy: str | None = None) -> Push:
    arguments = ["push", "--project-dir", str(root), "--yes", "--json"]
    command = [sys.executable, "-c", _HARNESS, *arguments]
    if spy:   # every thread sampled (cProfile sees only the main one), collapsed stacks
        command = [shutil.which("py-spy") or "py-spy", "record", "--format", "raw", "--threads",
                   "-r", "200", "-o", spy, "--", *command]
    with tempfile.TemporaryDirectory(prefix="call-cpu-out-") as tmp:
        out_path = Path(tmp) / "cpu.json"
        env = {**os.environ, "DBT_PROJECT_DIR": str(root), "CALL_CPU_OUT": str(out_path),
               "CALL_CPU_PROFILE": profile or ""}
        started = time.monotonic()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=env)
        out, err = child.communicate()
        wall = time.monotonic() - started
        if child.returncode not in (0, 1):
            raise SystemExit(f"omie-push exited {child.returncode}: {err.decode()[-2000:]}")
        cpu = json.loads(out_path.read_text())
    lines = [line for line in out.decode().splitlines() if line.startswith("{")]
    return Push(json.loads(lines[-1]), wall, cpu["own"], cpu["children"], cpu["window"],
                cpu["threads"])


def calls_of(report: dict, rows: int, lot: int) -> int:
    """The write calls: one per cliente sent, one per lot of receivables sent."""
    sent = {view: counts.get("sent", 0) for view, counts in report["endpoints"].items()}
    lots = -(-sent.get("omie_contas_receber", 0) // lot) if lot > 1 else sent.get("omie_contas_receber", 0)
    return sent.get("omie_clientes", 0) + lots


def measure(args, profile: str | None, spy: str | None) -> dict:
    """One trial: a fresh sandbox and project, the first push (every row sent) and the second
    (every row unchanged, no call)."""
    with tempfile.TemporaryDirectory(prefix="call-cpu-") as tmp, \
            sandbox_process(limits="off", latency_ms=args.latency_ms) as url:
        root = Path(tmp) / "proj"
        make_project(root, url, args.rows, args.lot, args.in_flight)
        load = os.getloadavg()[0]
        first = push(root, profile, spy)
        second = push(root, None)
        load = max(load, os.getloadavg()[0])
    calls = calls_of(first.report, args.rows, args.lot)
    counts = {view: {k: v for k, v in c.items() if v and k in STATUSES}
              for view, c in first.report["endpoints"].items()}
    per_call = 1000 * first.window / calls
    net = 1000 * max(0.0, first.own - second.own) / calls
    threads = {name: round(1000 * cpu / calls, 2)
               for name, cpu in sorted(first.threads.items(), key=lambda kv: -kv[1])
               if cpu >= 0.00001 * calls}      # 0.01 ms a call or more
    print(f"first push:  {counts}")
    for refused in first.report.get("refused", [])[:2] + first.report.get("refused", [])[-2:]:
        print(f"  refused: {refused}")
    print(f"  {calls} write calls in {first.wall:.2f} s ({calls / first.wall:.1f} calls/s); "
          f"omie-push's CPU {first.own:.2f} s ({first.window:.2f} s while sending), "
          f"its GX worker's {first.children:.2f} s")
    print(f"second push (all unchanged, no call): {second.wall:.2f} s, CPU {second.own:.2f} s")
    print(f"  CPU per call while sending: {per_call:.2f} ms (by thread: {threads}); "
          f"cross-check, the two pushes' difference: {net:.2f} ms; load average up to {load:.2f}")
    return {"calls": calls, "wall_s": first.wall, "per_call_ms": per_call, "net_ms": net,
            "gross_ms": 1000 * first.own / calls, "fixed_s": second.own,
            "gx_worker_s": first.children, "threads": threads, "load": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--lot", type=int, default=50, help="lot_size of contas a receber")
    parser.add_argument("--in-flight", type=int, default=1, help="writes in flight per method")
    parser.add_argument("--latency-ms", default=None, help="the sandbox's latency, e.g. 5-15")
    parser.add_argument("--trials", type=int, default=3, help="measure this many times; the "
                        "figure is their median")
    parser.add_argument("--profile", default=None, help="write the first push's cProfile here")
    parser.add_argument("--py-spy", default=None, help="write the first push's py-spy samples "
                        "(collapsed stacks, every thread) here; CPU figures then include py-spy's")
    args = parser.parse_args()
    trials = []
    for n in range(max(1, args.trials)):
        print(f"trial {n + 1} of {args.trials}")
        trials.append(measure(args, args.profile if n == 0 else None,
                              args.py_spy if n == 0 else None))
    middle = sorted(trials, key=lambda t: t["per_call_ms"])[len(trials) // 2]
    load = os.getloadavg()
    figures = ", ".join(f"{t['per_call_ms']:.2f}" for t in trials)
    print(f"CPU per call while sending, ms: {figures}; median {middle['per_call_ms']:.2f}")
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("RESULT " + json.dumps({
        "calls": middle["calls"], "wall_s": round(middle["wall_s"], 3),
        "cpu_ms_per_call": round(middle["per_call_ms"], 3),
        "cpu_ms_per_call_trials": [round(t["per_call_ms"], 3) for t in trials],
        "cpu_ms_per_call_net": round(middle["net_ms"], 3),
        "cpu_ms_per_call_gross": round(middle["gross_ms"], 3),
        "calls_per_s": round(middle["calls"] / middle["wall_s"], 1),
        "fixed_cpu_s": round(middle["fixed_s"], 3), "gx_worker_cpu_s": round(middle["gx_worker_s"], 3),
        "thread_ms_per_call": middle["threads"], "rows": args.rows, "lot": args.lot,
        "load": round(max(t["load"] for t in trials), 2)}))


if __name__ == "__main__":
    main()
