"""The sandbox's own CPU time per call: the ASGI app called directly (no httpx, no socket),
limits on (scale=1000, so none refuses), against a fresh state file.

    .venv/bin/python benchmarks/sandbox_cpu.py [N]

CPU time (`time.process_time`), not wall time, so the figure holds on a box shared with other
jobs, where wall-clock rates (benchmarks/sandbox_core.py) swing by a factor of two. Prints
milliseconds of CPU per UpsertCliente and per ConsultarCliente.
"""
from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time

from omie_push.sandbox.app import create_app
from omie_push.sandbox.traffic import TrafficConfig

PATH = "/api/v1/geral/clientes/"


async def call(app, body: bytes) -> int:
    """One POST through the whole app (front door, traffic layer, simulator); its status."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": PATH, "raw_path": PATH.encode(),
             "query_string": b"", "headers": [(b"content-type", b"application/json")],
             "client": ("127.0.0.1", 1), "server": ("sandbox", 80), "scheme": "http",
             "root_path": "", "http_version": "1.1", "asgi": {"version": "3.0"}}
    await app(scope, receive, send)
    return sent[0]["status"]


def envelope(call_name: str, param: dict) -> bytes:
    return json.dumps({"call": call_name, "app_key": "k", "app_secret": "s", "param": [param]}).encode()


async def cpu_ms(app, bodies: list[bytes]) -> float:
    started = time.process_time()
    for body in bodies:
        status = await call(app, body)
        assert status == 200, status
    return (time.process_time() - started) / len(bodies) * 1000


async def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"k": "s"}, f"{tmp}/state.sqlite", traffic=TrafficConfig.parse(limits="scale=1000"))
        upserts = [envelope("UpsertCliente", {"codigo_cliente_integracao": f"B{i}", "razao_social": f"Cliente {i}",
                                              "email": f"c{i}@example.com", "cidade": "SAO PAULO (SP)",
                                              "estado": "SP"}) for i in range(n)]
        reads = [envelope("ConsultarCliente", {"codigo_cliente_integracao": f"B{i}"}) for i in range(n)]
        up, read = await cpu_ms(app, upserts), await cpu_ms(app, reads)
        app.sandbox.store.close()
    print(f"UpsertCliente {up:.3f} ms CPU/call, ConsultarCliente {read:.3f} ms CPU/call ({n} each)")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
