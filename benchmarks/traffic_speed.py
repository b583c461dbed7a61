"""Speed of the sender against the sandbox over real HTTP with its limits on (issue 6, Speed).

Two runs, each of at least `--seconds` (default 130 s):

1. one method (UpsertCliente): calls per minute against the ceiling the limits and the latency
   allow, min(method budget, 60 / latency for one write in flight);
2. five endpoints in parallel (clientes, projetos, vendedores, contas a pagar, contas a receber
   one by one): all calls per minute against the per-IP budget.

Both count the 429, REDUNDANT and 425 answers (must be zero) and the busiest sliding 60 s
window per method (must stay under the method's budget). The sandbox runs in its own process
with `--limits scale=N` (every per-minute rate times N; windows stay 60 s) and the stated latency.

    .venv/bin/python benchmarks/traffic_speed.py --scale 10 --parallel-scale 5 --latency-ms 5-15
"""
from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import math
import time

from sandbox_process import ACCOUNTS, sandbox_process
import traffic_rows as rows

from omie_push.catalog import get
from omie_push.client import make_sender
from omie_push.client.pacing import HEADROOM
from omie_push.client.types import Budgets, TargetSettings

LIMIT_FAULTS = ("rate_limit", "redundant", "misuse_block")
RESULTS: list[dict] = []          # one per run, printed as the last line `RESULT {json}`


def settings_for(url: str, scale: float, **kw) -> TargetSettings:
    key, secret = next(iter(ACCOUNTS.items()))
    budgets = Budgets(calls_per_minute_per_method=round(240 * scale),
                      calls_per_minute_per_ip=round(960 * scale))
    return TargetSettings("bench", url, key, secret, budgets=budgets, **kw)


def busiest_minute(times: list[float]) -> int:
    """Most calls in any sliding 60 s window."""
    times = sorted(times)
    return max((bisect.bisect_left(times, t + 60.0) - i for i, t in enumerate(times)), default=0)


def rate_per_minute(times: list[float], start: float, end: float) -> float:
    inside = [t for t in times if start <= t <= end]
    return len(inside) / (end - start) * 60.0 if end > start else 0.0


async def push_all(settings, batches):
    """Send (endpoint, items) batches at once; returns (sender, finish time per endpoint)."""
    finished, results = {}, {}

    async with make_sender(settings) as sender:
        async def one(endpoint, items):
            await sender.send(endpoint, items, lambda r: results.__setitem__(r.key, r.status))
            finished[endpoint.name] = sender.clock.now()

        started = sender.clock.now()
        await asyncio.gather(*(one(ep, items) for ep, items in batches))
    return sender, started, finished, results


def report(title, sender, window, budget_method, ceiling, calls_rate, results):
    faults = {k: v for k, v in sender.stats.faults.items()}
    limit_hits = sum(faults.get(k, 0) for k in LIMIT_FAULTS)
    print(f"\n== {title}")
    print(f"  window measured: {window:.1f} s; rows: {len(results)}; "
          f"statuses: { {s: list(results.values()).count(s) for s in set(results.values())} }")
    for call, times in sorted(sender.stats.call_times.items()):
        print(f"  {call:28s} calls {len(times):6d}  busiest 60 s: {busiest_minute(times):5d} "
              f"(budget {budget_method})")
    every = [t for times in sender.stats.call_times.values() for t in times]
    print(f"  all calls: busiest 60 s {busiest_minute(every)} (per-IP budget "
          f"{sender.settings.budgets.calls_per_minute_per_ip})")
    print(f"  calls/min: {calls_rate:.0f}  ceiling: {ceiling:.0f}  -> {calls_rate / ceiling:.1%}")
    print(f"  429/REDUNDANT/425: {limit_hits}  all faults: {faults or 'none'}")
    RESULTS.append({"run": title, "window_s": window, "calls_per_min": calls_rate, "ceiling": ceiling,
                    "fraction": calls_rate / ceiling, "budget_per_method": budget_method,
                    "budget_per_ip": sender.settings.budgets.calls_per_minute_per_ip,
                    "per_method": {call: {"calls": len(times), "busiest_60s": busiest_minute(times),
                                          "per_min": len(times) / (max(times) - min(times)) * 60.0
                                          if len(times) > 1 else None}
                                   for call, times in sorted(sender.stats.call_times.items())},
                    "limit_answers": {k: faults.get(k, 0) for k in LIMIT_FAULTS}})
    return calls_rate / ceiling, limit_hits


def one_method(url, args, latency_mean):
    """The ceiling is the method's budget or, one write in flight, 60 / the answer time: the
    stated latency plus HTTP and the sandbox's own work, as the sender measured it."""
    settings = settings_for(url, args.scale)
    budget = settings.budgets.calls_per_minute_per_method
    stated = min(budget, 60.0 / latency_mean) if latency_mean else budget
    n = math.ceil(stated * HEADROOM * args.seconds / 60.0)
    sender, started, finished, results = asyncio.run(
        push_all(settings, [(get("clientes"), rows.clientes(n, "S"))]))
    times = sender.stats.call_times["UpsertCliente"]
    end = max(times)
    rate = rate_per_minute(times, started, end)
    answers = sender.stats.answer_seconds["UpsertCliente"]
    observed = sum(answers) / len(answers)
    ceiling = min(budget, 60.0 / observed)
    verdict = report("one method: UpsertCliente, one write in flight", sender, end - started,
                     budget, ceiling, rate, results)
    RESULTS[-1].update(scale=args.scale, answer_ms=observed * 1000)
    print(f"  answer time seen by the sender: mean {observed * 1000:.1f} ms (stated latency "
          f"{latency_mean * 1000:.0f} ms + HTTP and the sandbox's own work); against the stated "
          f"latency alone the ceiling would be {stated:.0f}/min -> {rate / stated:.1%}")
    return verdict


def parallel(url, args):
    settings = settings_for(url, args.parallel_scale, lot_size=0)   # contas a receber one by one too
    asyncio.run(push_all(settings, [(get("clientes"), rows.clientes(50, "K"))]))  # parents
    ip_budget = settings.budgets.calls_per_minute_per_ip
    per_endpoint = math.ceil(ip_budget * HEADROOM / 5 * args.seconds / 60.0)
    batches = [(get("clientes"), rows.clientes(per_endpoint, "Q", first_cpf=1000)),
               (get("projetos"), rows.projetos(per_endpoint)),
               (get("vendedores"), rows.vendedores(per_endpoint)),
               (get("contas_pagar"), rows.pagar(per_endpoint, client_prefix="K")),
               (get("contas_receber"), rows.receber(per_endpoint, client_prefix="K", clients=50))]
    sender, started, finished, results = asyncio.run(push_all(settings, batches))
    all_times = [t for times in sender.stats.call_times.values() for t in times]
    end = min(finished.values())          # while every endpoint still had work
    rate = rate_per_minute(all_times, started, end)
    verdict = report("five endpoints in parallel", sender, end - started,
                     settings.budgets.calls_per_minute_per_method, ip_budget, rate, results)
    RESULTS[-1].update(scale=args.parallel_scale)
    return verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--latency-ms", default="5-15")
    parser.add_argument("--seconds", type=float, default=130.0)
    parser.add_argument("--parallel-scale", type=float, default=5.0,
                        help="scale of the parallel run (the sandbox process must keep up with "
                             "16 x scale calls a second)")
    parser.add_argument("--only", choices=("one", "parallel"), default=None)
    args = parser.parse_args()
    low, _, high = args.latency_ms.partition("-")
    latency_mean = (float(low) + float(high or low)) / 2000.0
    print(f"sandbox: --limits scale={args.scale:g} --latency-ms {args.latency_ms} "
          f"(own process, real HTTP); machine: this 2-core box")
    t0 = time.monotonic()
    verdicts = []
    with sandbox_process(limits=f"scale={args.scale:g}", latency_ms=args.latency_ms, seed=1) as url:
        if args.only in (None, "one"):
            verdicts.append(("one method >= 95% of ceiling", *one_method(url, args, latency_mean), 0.95))
    with sandbox_process(limits=f"scale={args.parallel_scale:g}", latency_ms=args.latency_ms,
                         seed=2) as url:
        if args.only in (None, "parallel"):
            print(f"parallel run: --limits scale={args.parallel_scale:g}")
            verdicts.append(("parallel >= 90% of per-IP budget", *parallel(url, args), 0.90))
    print(f"\nwall time {time.monotonic() - t0:.0f} s")
    for name, ratio, hits, target in verdicts:
        ok = ratio >= target and hits == 0
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {ratio:.1%}, limit answers {hits}")
    print("RESULT " + json.dumps({"latency_ms": args.latency_ms, "runs": RESULTS}))


if __name__ == "__main__":
    main()
