"""Fixtures for the traffic layer: a tiny Starlette app standing in for the simulator, driven
through TrafficMiddleware with a ManualClock, in-process (httpx.ASGITransport) or over uvicorn."""
from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from omie_push.sandbox.traffic import ManualClock, TrafficConfig, TrafficMiddleware

URL = "/api/v1/geral/clientes/"


class TinyOmie:
    """Answers every call; param[0] steers it: `outcome` forces the mark, `hold` waits on a gate.

    It records each call that reached it in `calls`, so a test can tell a commit from a refusal.
    """

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.gate = asyncio.Event()
        self.entered = 0
        self.app = Starlette(routes=[Route(URL, self.endpoint, methods=["POST", "GET"])])

    async def endpoint(self, request: Request) -> Response:
        try:
            envelope = json.loads(await request.body())
        except ValueError:
            return Response('{"faultstring": "Invalid JSON Object", "faultcode": "SOAP-ENV:Client"}',
                            status_code=500, media_type="application/json",
                            headers={"x-sandbox-outcome": "error"})
        call, param = envelope["call"], envelope["param"][0]
        self.entered += 1
        if param.get("hold"):
            await self.gate.wait()
        self.calls.append((call, param))
        is_read = call.startswith(("Listar", "Consultar", "Pesquisar"))
        outcome = param.get("outcome") or ("read" if is_read else "committed")
        status = 500 if outcome == "error" else 200
        body = ({"faultstring": "ERROR: Cliente não cadastrado para o Código [1] !",
                 "faultcode": "SOAP-ENV:Client-105"} if outcome == "error"
                else {"codigo_status": "0", "descricao_status": "Cliente cadastrado com sucesso!"})
        return Response(json.dumps(body), status_code=status, media_type="application/json",
                        headers={"x-sandbox-outcome": outcome})


def omie_body(call: str, param: dict | None = None, app_key="111", app_secret="s3cr3t") -> dict:
    return {"call": call, "app_key": app_key, "app_secret": app_secret, "param": [param or {}]}


class Harness:
    """A client through the middleware around TinyOmie, with the clock the windows read."""

    def __init__(self, limits="real", latency_ms=None, faults=None, seed=0, client_ip="10.0.0.1",
                 **numbers):
        self.clock = ManualClock()
        self.omie = TinyOmie()
        self.config = TrafficConfig.parse(limits=limits, latency_ms=latency_ms, faults=faults,
                                          seed=seed, clock=self.clock, **numbers)
        self.app = TrafficMiddleware(self.omie.app, self.config)
        self.client_ip = client_ip

    def client(self, ip: str | None = None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(self.app, client=(ip or self.client_ip, 5000))
        return httpx.AsyncClient(transport=transport, base_url="http://sandbox")

    async def call(self, call: str, param: dict | None = None, *, app_key="111", ip=None,
                   client: httpx.AsyncClient | None = None) -> httpx.Response:
        if client is not None:
            return await client.post(URL, json=omie_body(call, param, app_key))
        async with self.client(ip) as own:
            return await own.post(URL, json=omie_body(call, param, app_key))


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def harness():
    return Harness


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served():
    """Start an ASGI app under uvicorn on a free localhost port; stop it after the test."""
    servers = []

    def start(app) -> str:
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                               log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)
