"""How fast the sandbox itself answers (no limits, no latency): the ceiling it puts under every
other benchmark. Omie allows 240 calls/min per method; the sandbox must be far above that.

    .venv/bin/python benchmarks/sandbox_core.py [N]

Prints calls per second for UpsertCliente (writes), ConsultarCliente (reads) and one
ListarClientes page of 500, in-process (httpx.ASGITransport) and over HTTP (uvicorn, one
keep-alive connection), each against a fresh state file.
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx

ACCOUNTS = {"bench-key": "bench-secret"}


def body(call: str, param: dict) -> dict:
    return {"call": call, "app_key": "bench-key", "app_secret": "bench-secret", "param": [param]}


def calls(n: int):
    yield from (("UpsertCliente", {"codigo_cliente_integracao": f"B-{i}", "razao_social": f"Cliente {i}",
                                   "email": f"c{i}@example.com"}) for i in range(n))


async def run_async(client: httpx.AsyncClient, n: int) -> dict[str, float]:
    figures = {}
    t = time.perf_counter()
    for call, param in calls(n):
        (await client.post("/api/v1/geral/clientes/", json=body(call, param))).raise_for_status()
    figures["UpsertCliente/s"] = n / (time.perf_counter() - t)
    t = time.perf_counter()
    for i in range(n):
        (await client.post("/api/v1/geral/clientes/", json=body(
            "ConsultarCliente", {"codigo_cliente_integracao": f"B-{i}"}))).raise_for_status()
    figures["ConsultarCliente/s"] = n / (time.perf_counter() - t)
    t = time.perf_counter()
    (await client.post("/api/v1/geral/clientes/", json=body(
        "ListarClientes", {"pagina": 1, "registros_por_pagina": 500}))).raise_for_status()
    figures["ListarClientes 500 rows, s"] = time.perf_counter() - t
    return figures


def in_process(n: int, state: str) -> dict[str, float]:
    from omie_push.sandbox.embedded import asgi_transport

    async def go():
        async with httpx.AsyncClient(transport=asgi_transport(state, ACCOUNTS, limits="off"),
                                     base_url="http://omie") as client:
            return await run_async(client, n)
    return asyncio.run(go())


def over_http(n: int, state: str) -> dict[str, float]:
    from omie_push.sandbox.testing import serve

    with serve(ACCOUNTS, state_path=state) as api_root:
        async def go():
            async with httpx.AsyncClient(base_url=api_root.removesuffix("/api/v1")) as client:
                return await run_async(client, n)
        return asyncio.run(go())


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        for name, run in (("in-process", in_process), ("over HTTP", over_http)):
            figures = run(n, str(Path(tmp) / f"{name}.sqlite"))
            print(f"{name:>10}: " + ", ".join(f"{k} {v:,.1f}" if "/s" in k else f"{k} {v:.3f}"
                                             for k, v in figures.items()))


if __name__ == "__main__":
    main()
