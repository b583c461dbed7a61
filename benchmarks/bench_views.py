"""Local overhead of omie-push on big views: for each size and view (omie_clientes,
omie_contas_receber), the floor (DuckDB -> Polars -> JSON lines, in a child process) and
`omie-push --select VIEW --dry-run --json` (a child process against the embedded sandbox: no
call), each with its wall time and its own peak RSS; the per-phase timings the --json report
carries (read, validate, payload, diff, record; "—" when the build does not report them), the
ratio to the floor and the growth from the smallest size to the largest.

    .venv/bin/python benchmarks/bench_views.py --sizes 10000,100000,1000000

The last line is `RESULT {json}` for benchmarks/bench_report.py.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_data import VIEWS, make_project  # noqa: E402
from bench_run import floor, omie_push  # noqa: E402

PHASES = ("read", "validate", "payload", "diff", "record", "judge")


def fmt(value, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def measure(project: Path, view: str, rows: int) -> dict:
    """The floor and the dry run of one view; one row of the table."""
    base = floor(project, view)
    run = omie_push(project, "--select", view, "--dry-run")
    if run.code not in (0, 1):
        raise RuntimeError(f"omie-push --select {view} --dry-run exited {run.code}: {run.stderr[-3000:]}")
    report = run.json()
    endpoint = report.get("endpoints", {}).get(view, {})
    timings = (report.get("timings") or {}).get(view) or {}
    return {"view": view, "rows": rows, "floor_s": base.wall, "floor_mb": base.peak_mb,
            "wall_s": run.wall, "peak_mb": run.peak_mb, "duration_s": report.get("duration_seconds"),
            "to_send": endpoint.get("to_send"), "rejected": endpoint.get("rejected"),
            "timings": {p: timings.get(p) for p in PHASES},
            "loop_lag_max_ms": report.get("loop_lag_max_ms"), "exit": run.code,
            "ratio": run.wall / base.wall}


def growth(rows: list[dict]) -> list[dict]:
    """Per view: wall per row at the largest size over wall per row at the smallest
    (1.0 = linear, below 1 = better than linear)."""
    out = []
    for view in VIEWS:
        mine = sorted((r for r in rows if r["view"] == view), key=lambda r: r["rows"])
        if len(mine) >= 2:
            small, big = mine[0], mine[-1]
            factor = big["rows"] / small["rows"]
            out.append({"view": view, "from": small["rows"], "to": big["rows"],
                        "time_x": big["wall_s"] / small["wall_s"], "rows_x": factor,
                        "per_row_x": big["wall_s"] / small["wall_s"] / factor,
                        "memory_x": big["peak_mb"] / small["peak_mb"]})
    return out


def table(rows: list[dict]) -> str:
    head = ("| view | rows | floor s | floor MB | dry run s | peak MB | × floor | "
            + " | ".join(f"{p} s" for p in PHASES) + " | loop lag max ms |")
    lines = [head, "|---|" + "---:|" * (7 + len(PHASES))]
    for r in rows:
        t = r["timings"]
        lines.append(f"| {r['view']} | {r['rows']:,} | {r['floor_s']:.2f} | {r['floor_mb']:.0f} | "
                     f"{r['wall_s']:.2f} | {r['peak_mb']:.0f} | {r['ratio']:.1f} | "
                     + " | ".join(fmt(t[p]) for p in PHASES) + f" | {fmt(r['loop_lag_max_ms'], '.0f')} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--tmp", default=None, help="where the projects are built (default: /tmp)")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-views-", dir=args.tmp) as tmp:
            for view in VIEWS:
                # One project per view: a project that feeds clientes too would hold every
                # receivable until its clientes were pushed (push/isolation.parent_hold).
                project = make_project(Path(tmp) / view, size, (view,))
                rows.append(measure(project, view, size))
                r = rows[-1]
                print(f"{view:20s} {size:>9,} rows: floor {r['floor_s']:6.2f} s {r['floor_mb']:6.0f} MB; "
                      f"dry run {r['wall_s']:7.2f} s {r['peak_mb']:6.0f} MB ({r['ratio']:.1f}x floor); "
                      f"to_send {r['to_send']}, rejected {r['rejected']}", flush=True)
    print(table(rows))
    grown = growth(rows)
    for g in grown:
        print(f"growth {g['view']} {g['from']:,} -> {g['to']:,}: time x{g['time_x']:.1f} for rows "
              f"x{g['rows_x']:.0f} (per row x{g['per_row_x']:.2f}), memory x{g['memory_x']:.1f}")
    print("RESULT " + json.dumps({"rows": rows, "growth": grown}))


if __name__ == "__main__":
    main()
