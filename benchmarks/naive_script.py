"""The loop most Omie integrations start with, for the comparison in docs/benchmarks.md: read
the view, then one UpsertCliente after another, no pacing, and on any error sleep a moment and
send the same call again (up to --attempts times), then go on to the next row.

Bounded in count and time: at most --rows rows, --attempts attempts per row, --seconds in all;
only loopback URLs. It counts what Omie answered: accepted rows, HTTP 429, REDUNDANT (Client-6),
HTTP 425 (MISUSE_API_PROCESS: the key's method blocked) and other refusals, and the seconds
from its first call to the first 425.

    .venv/bin/python benchmarks/naive_script.py --url http://127.0.0.1:PORT/api/v1 \
        --warehouse proj/warehouse.duckdb --rows 400 --seconds 120

The last line is `RESULT {json}`.
"""
from __future__ import annotations

import argparse
import json
import time
from decimal import Decimal
from urllib.parse import urlparse

import duckdb
import httpx

KEY, SECRET = "bench-key", "bench-secret"


def rows_of(warehouse: str, limit: int) -> list[dict]:
    """The view's rows as dicts, nulls left out, decimals as numbers (what such a script does)."""
    con = duckdb.connect(warehouse, read_only=True)
    try:
        cursor = con.execute(f"select * from omie_clientes limit {int(limit)}")
        names = [d[0] for d in cursor.description]
        out = []
        for values in cursor.fetchall():
            row = {n: (float(v) if isinstance(v, Decimal) else v) for n, v in zip(names, values)}
            out.append({n: v for n, v in row.items() if v is not None})
        return out
    finally:
        con.close()


def kind_of(answer: httpx.Response | None) -> str:
    if answer is None:
        return "transport"
    if answer.status_code == 200:
        return "ok"
    if answer.status_code == 429:
        return "429"
    if answer.status_code == 425:
        return "425"
    return "REDUNDANT" if "REDUNDANT" in answer.text else "refused"


def run(url: str, rows: list[dict], attempts: int, seconds: float, pause: float) -> dict:
    counts = {"ok": 0, "429": 0, "REDUNDANT": 0, "425": 0, "refused": 0, "transport": 0}
    accepted, calls, first_425 = 0, 0, None
    started = time.monotonic()
    with httpx.Client(timeout=30) as http:
        for row in rows:
            for _ in range(attempts):
                if time.monotonic() - started > seconds:
                    break
                try:
                    answer = http.post(f"{url}/geral/clientes/", json={
                        "call": "UpsertCliente", "app_key": KEY, "app_secret": SECRET, "param": [row]})
                except httpx.HTTPError:
                    answer = None
                calls += 1
                kind = kind_of(answer)
                counts[kind] += 1
                if kind == "425" and first_425 is None:
                    first_425 = time.monotonic() - started
                if kind == "ok":
                    accepted += 1
                    break
                time.sleep(pause)          # "wait a bit and try again"
            if time.monotonic() - started > seconds:
                break
    return {"rows": len(rows), "accepted": accepted, "calls": calls, "answers": counts,
            "seconds": time.monotonic() - started, "first_425_s": first_425,
            "stopped_by_time": time.monotonic() - started > seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--attempts", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds before a retry")
    args = parser.parse_args()
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("naive_script.py talks only to a sandbox on this machine (a loopback URL)")
    result = run(args.url, rows_of(args.warehouse, args.rows), args.attempts, args.seconds, args.pause)
    print(f"naive loop: {result['accepted']} of {result['rows']} rows accepted in "
          f"{result['seconds']:.1f} s, {result['calls']} calls; answers {result['answers']}; "
          f"first 425 after {result['first_425_s']} s")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
