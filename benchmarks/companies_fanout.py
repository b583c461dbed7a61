"""Many companies from one machine: N companies x M clientes pushed at once against the sandbox
(its own process, real HTTP, limits on, scaled), each company with its own sender and per-method
budget, all under one per-IP limiter, as `push.companies` builds them (docs/companies.md).

    .venv/bin/python benchmarks/companies_fanout.py --companies 20 --rows 500 --scale 5 --latency-ms 5-15

Prints the calls per minute against the per-IP budget (whole run, and the busiest sliding
minute), the busiest sliding minute of each company's method against its per-method budget,
and the limit answers the sandbox gave (429, REDUNDANT, 425: must be none).
"""
from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter

from sandbox_process import sandbox_process
import traffic_rows as rows

from omie_push.catalog import get
from omie_push.client import make_sender
from omie_push.client.pacing import ip_budget
from omie_push.client.types import Budgets, TargetSettings

LIMIT_FAULTS = ("rate_limit", "redundant", "misuse_block")


def accounts(n: int) -> dict[str, str]:
    return {f"{4500000000000 + i}": f"bench-secret-{i}" for i in range(n)}


async def push_all(url: str, keys: dict[str, str], n_rows: int, scale: float, latency_s: float):
    budgets = Budgets(calls_per_minute_per_method=round(240 * scale),
                      calls_per_minute_per_ip=round(960 * scale))
    ip = ip_budget(budgets.calls_per_minute_per_ip)
    senders = [make_sender(TargetSettings(f"c{i}", url, key, secret, budgets=budgets,
                                          nominal_latency_seconds=latency_s), ip_limiter=ip)
               for i, (key, secret) in enumerate(keys.items())]
    results: Counter = Counter()
    record = lambda r: results.update([r.status])   # noqa: E731
    started = time.monotonic()
    try:
        await asyncio.gather(*(s.send(get("clientes"), rows.clientes(n_rows, prefix=f"K{i}C"), record)
                               for i, s in enumerate(senders)))
    finally:
        for s in senders:
            await s.aclose()
    return senders, time.monotonic() - started, results, budgets


def busiest_minute(times: list[float]) -> int:
    """The most calls started within any 60 s window."""
    times, best, start = sorted(times), 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 60.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--scale", type=float, default=5.0)
    parser.add_argument("--latency-ms", default="5-15")
    args = parser.parse_args()
    low, _, high = args.latency_ms.partition("-")
    latency_s = (float(low) + float(high or low)) / 2000.0
    keys = accounts(args.companies)
    with sandbox_process(accounts=keys, limits=f"scale={args.scale:g}", latency_ms=args.latency_ms,
                         seed=1) as url:
        senders, seconds, results, budgets = asyncio.run(
            push_all(url, keys, args.rows, args.scale, latency_s))
    calls = sum(sum(s.stats.calls.values()) for s in senders)
    faults = Counter()
    for s in senders:
        faults.update(s.stats.faults)
    every = [t for s in senders for ts in s.stats.call_times.values() for t in ts]
    per_company = [max(busiest_minute(ts) for ts in s.stats.call_times.values()) for s in senders]
    ip, method = budgets.calls_per_minute_per_ip, budgets.calls_per_minute_per_method
    rate = calls / seconds * 60
    print(f"sandbox: own process, real HTTP, --limits scale={args.scale:g} --latency-ms "
          f"{args.latency_ms}; machine: this 2-core box (shared)")
    print(f"{args.companies} companies x {args.rows} clientes (UpsertCliente one by one) -> "
          f"{dict(results)}; {calls} calls in {seconds:.1f} s")
    print(f"calls per minute: {rate:.0f} = {rate / ip:.1%} of the per-IP budget {ip}; busiest "
          f"sliding minute {busiest_minute(every)} ({busiest_minute(every) / ip:.1%})")
    ordered = sorted(every)
    lo, hi = ordered[len(ordered) // 20], ordered[len(ordered) * 19 // 20]
    middle = (len(ordered) * 9 // 10) / (hi - lo) * 60
    print(f"middle 90% of the calls (ramp and tail aside): {middle:.0f} a minute = {middle / ip:.1%}")
    print(f"per company, busiest sliding minute of its method: max {max(per_company)}, min "
          f"{min(per_company)} (budget {method} each)")
    limit_answers = sum(faults.get(k, 0) for k in LIMIT_FAULTS)
    print(f"faults: {dict(faults) or 'none'}; 429/REDUNDANT/425: {limit_answers}")


if __name__ == "__main__":
    main()
