"""omie-push beside the naive loop (benchmarks/naive_script.py), on the same data and each on a
fresh sandbox in its own process with Omie's real limits (240 calls a minute per method, the
REDUNDANT window, ten errors -> the method blocked with 425 for 30 minutes).

The data: N clientes of the bench view, one in every --bad-every rows with a wrong CNPJ check
digit (Omie refuses it; omie-push's validation rejects it before any call), as real data has.
Both sides: duration, rows Omie accepted, and the 429 / REDUNDANT / 425 answers counted by
the sandbox itself; the naive side also the seconds until the first 425.

    .venv/bin/python benchmarks/bench_naive.py --rows 400 --seconds 150

The last line is `RESULT {json}` for benchmarks/bench_report.py.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_data import make_project  # noqa: E402
from bench_run import omie_push, timed  # noqa: E402
from bench_sandbox import counting_sandbox  # noqa: E402

VIEW = "omie_clientes"
ANSWERS = ("429", "REDUNDANT", "425", "other_errors")


def clientes_in(state: Path) -> int:
    with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as con:
        return con.execute("select count(*) from records where company = 'bench-key' and "
                           "kind = 'cliente' and code like 'CLI-%'").fetchone()[0]


def naive(project: Path, root: Path, args) -> dict:
    state = root / "naive.sqlite"
    with counting_sandbox(str(state), limits="real") as (url, counts):
        run = timed([sys.executable, str(Path(__file__).with_name("naive_script.py")), "--url", url,
                     "--warehouse", str(project / "warehouse.duckdb"), "--rows", str(args.rows),
                     "--seconds", str(args.seconds)])
        seen = counts()
    if run.code:
        raise RuntimeError(f"naive_script.py exited {run.code}: {run.stderr[-2000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1].removeprefix("RESULT "))
    return {**result, "sandbox": {k: seen[k] for k in ANSWERS}, "calls_seen": seen["calls"],
            "in_omie": clientes_in(state)}


def ours(project: Path, root: Path) -> dict:
    state = root / "omie-push.sqlite"
    with counting_sandbox(str(state), limits="real") as (url, counts):
        run = omie_push(project, "--target", "real", env={"BENCH_OMIE_URL": url})
        seen = counts()
    report = run.json()
    endpoint = report.get("endpoints", {}).get(VIEW, {})
    if run.code not in (0, 1) or not endpoint:
        raise RuntimeError(f"omie-push exited {run.code}: {run.stderr[-3000:]}")
    return {"seconds": run.wall, "exit": run.code, "sent": endpoint.get("sent"),
            "rejected": endpoint.get("rejected"), "failed": endpoint.get("failed"),
            "sandbox": {k: seen[k] for k in ANSWERS}, "calls_seen": seen["calls"],
            "in_omie": clientes_in(state)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--bad-every", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=150.0, help="the naive loop's time bound")
    parser.add_argument("--tmp", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-naive-", dir=args.tmp) as tmp:
        root = Path(tmp)
        project = make_project(root / "proj", args.rows, (VIEW,), bad_every=args.bad_every)
        them = naive(project, root, args)
        us = ours(project, root)
    bad = args.rows // args.bad_every if args.bad_every else 0
    print(f"{args.rows} clientes, {bad} with a wrong CNPJ check digit; Omie's real limits")
    print(f"naive loop: {them['seconds']:.1f} s (bound {args.seconds:g} s), {them['in_omie']} rows in "
          f"Omie, {them['calls']} calls; sandbox answered {them['sandbox']}; first 425 after "
          f"{them['first_425_s']} s")
    print(f"omie-push:  {us['seconds']:.1f} s, {us['in_omie']} rows in Omie (sent {us['sent']}, "
          f"rejected {us['rejected']}); sandbox answered {us['sandbox']}; calls {us['calls_seen']}")
    print("RESULT " + json.dumps({"rows": args.rows, "bad_rows": bad, "bound_s": args.seconds,
                                  "naive": them, "omie_push": us}))


if __name__ == "__main__":
    main()
