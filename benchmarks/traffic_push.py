"""A push of customers then receivables against the sandbox (own process, real HTTP, limits on):
its duration against the plan (`omie_push.client.estimate`), the limit answers (must be none),
and, with faults on, that Omie ends with exactly one record per row.

    .venv/bin/python benchmarks/traffic_push.py --rows 2000 --scale 10 --latency-ms 5-15
    .venv/bin/python benchmarks/traffic_push.py --rows 2000 --scale 10 --latency-ms 5-15 \
        --faults broken=0.02,html502=0.01,drop=0.01,slow=0.005@3,redundant_after_commit=0.02,drop_after_commit=0.02 \
        --window 10 --timeout 2

`--window` shortens Omie's 60 s REDUNDANT window in the sandbox and in the sender alike (the
same rule, quicker), so a faulty run's retries take seconds.
"""
from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from sandbox_process import ACCOUNTS, sandbox_process
import traffic_rows as rows

from omie_push.catalog import get
from omie_push.client import estimate, make_sender
from omie_push.client.types import Budgets, TargetSettings

LIMIT_FAULTS = ("rate_limit", "redundant", "misuse_block")


def settings_for(url: str, scale: float, latency_s: float, window: float = 60.0,
                 timeout: float = 60.0) -> TargetSettings:
    key, secret = next(iter(ACCOUNTS.items()))
    budgets = Budgets(calls_per_minute_per_method=round(240 * scale),
                      calls_per_minute_per_ip=round(960 * scale), redundant_window_seconds=window)
    return TargetSettings("bench", url, key, secret, budgets=budgets, timeout_seconds=timeout,
                          nominal_latency_seconds=latency_s)


async def push(settings: TargetSettings, n: int):
    """Customers, then their receivables (they depend on the customers), as the pusher does."""
    results: dict[str, list] = {}
    record = lambda r: results.setdefault(r.key, []).append(r)   # noqa: E731
    async with make_sender(settings) as sender:
        started = time.monotonic()
        await sender.send(get("clientes"), rows.clientes(n), record)
        await sender.send(get("contas_receber"), rows.receber(n), record)
        return sender, time.monotonic() - started, results


def plan_seconds(settings: TargetSettings, n: int) -> float:
    return sum(estimate(get(name), n, settings).seconds for name in ("clientes", "contas_receber"))


def list_all(url: str, call: str, path: str, array: str) -> list[dict]:
    """Every record of a Listar call, page by page (against a sandbox with no limits/faults)."""
    key, secret = next(iter(ACCOUNTS.items()))
    records, page, pages = [], 1, 1
    with httpx.Client(timeout=30) as client:
        while page <= pages:
            body = {"call": call, "app_key": key, "app_secret": secret,
                    "param": [{"pagina": page, "registros_por_pagina": 500}]}
            answer = client.post(f"{url}/{path}", json=body).json()
            if "faultstring" in answer:
                break
            records += answer.get(array) or []
            pages = int(answer.get("total_de_paginas") or 1)
            page += 1
    return records


def omie_records(state_path: str) -> tuple[list[dict], list[dict]]:
    """Clients and receivables as Omie holds them, read back through a quiet sandbox."""
    with sandbox_process(state_path=state_path, limits="off") as url:
        return (list_all(url, "ListarClientes", "geral/clientes/", "clientes_cadastro"),
                list_all(url, "ListarContasReceber", "financas/contareceber/",
                         "conta_receber_cadastro"))


def run(n: int, scale: float, latency_ms: str, faults: str | None = None, window: float = 60.0,
        timeout: float = 60.0, seed: int = 1) -> dict:
    """One push; returns the figures (also used by tests/client/test_e2e_sandbox.py)."""
    low, _, high = latency_ms.partition("-")
    latency_s = (float(low) + float(high or low)) / 2000.0
    with tempfile.TemporaryDirectory() as tmp:
        state = str(Path(tmp) / "state.sqlite")
        traffic = dict(limits=f"scale={scale:g}", latency_ms=latency_ms, faults=faults, seed=seed,
                       redundant_window_s=window)
        with sandbox_process(state_path=state, **traffic) as url:
            settings = settings_for(url, scale, latency_s, window, timeout)
            sender, seconds, results = asyncio.run(push(settings, n))
        clients, receivables = omie_records(state)
    return {"seconds": seconds, "plan": plan_seconds(settings, n), "results": results,
            "faults": dict(sender.stats.faults), "calls": dict(sender.stats.calls),
            "limit_answers": sum(sender.stats.faults.get(k, 0) for k in LIMIT_FAULTS),
            "lookups": sender.stats.lookups, "stopped": sender.stopped_reason,
            "clients": clients, "receivables": receivables}


def exactly_one_record_per_row(figures: dict, n: int) -> tuple[bool, str]:
    """Every row has one result; Omie holds one record per row, with the id the result gave."""
    results = figures["results"]
    once = all(len(v) == 1 for v in results.values()) and len(results) == 2 * n
    by_code = Counter(c.get("codigo_cliente_integracao") for c in figures["clients"])
    by_lcto = Counter(r.get("codigo_lancamento_integracao") for r in figures["receivables"])
    keys_c = {i.key for i in rows.clientes(n)}
    keys_r = {i.key for i in rows.receber(n)}
    dup = [k for k, c in (by_code + by_lcto).items() if k and c > 1]
    missing = [k for k in keys_c if by_code[k] != 1] + [k for k in keys_r if by_lcto[k] != 1]
    ids = {str(c["codigo_cliente_omie"]) for c in figures["clients"]} | \
          {str(r["codigo_lancamento_omie"]) for r in figures["receivables"]}
    wrong_ids = [k for k, v in results.items() if v[0].status == "sent" and str(v[0].omie_id) not in ids]
    ok = once and not dup and not missing and not wrong_ids
    return ok, (f"results once per row: {once}; duplicates in Omie: {len(dup)}; rows missing in "
                f"Omie: {len(missing)}; sent rows whose id Omie does not hold: {len(wrong_ids)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--latency-ms", default="5-15")
    parser.add_argument("--faults", default=None)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    f = run(args.rows, args.scale, args.latency_ms, args.faults, args.window, args.timeout)
    statuses = Counter(v[0].status for v in f["results"].values())
    print(f"sandbox: own process, real HTTP, --limits scale={args.scale:g} --latency-ms "
          f"{args.latency_ms} --faults {args.faults or 'none'} (REDUNDANT window {args.window:g} s); "
          f"machine: this 2-core box")
    print(f"rows: {args.rows} customers + {args.rows} receivables (lots of 50) -> {dict(statuses)}")
    print(f"calls: {f['calls']}; lookups: {f['lookups']}")
    print(f"faults seen: {f['faults'] or 'none'}; 429/REDUNDANT/425 provoked: {f['limit_answers']}")
    print(f"duration {f['seconds']:.1f} s, plan {f['plan']:.1f} s -> {f['seconds'] / f['plan'] - 1:+.1%}")
    ok, detail = exactly_one_record_per_row(f, args.rows)
    print(f"Omie's records: {len(f['clients'])} clients (2 typed on screen), "
          f"{len(f['receivables'])} receivables; {detail} -> {'OK' if ok else 'WRONG'}")


if __name__ == "__main__":
    main()
