"""The sandbox as a Starlette ASGI app: Omie's URL per service, its envelope, its faults.

Served over real HTTP by uvicorn (`omie-push sandbox serve`, `testing.serve`) or in-process
through `httpx.ASGITransport` (`embedded.asgi_transport`). Limits, latency and injected faults
are not here: `traffic.TrafficMiddleware` wraps this app and reads the private
`x-sandbox-outcome` header each answer carries (read / committed / error).
"""
from __future__ import annotations

import json
import logging
from typing import Any, Mapping
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import (categorias, clientes, contapagar, contareceber, contrato, empresas, projetos,
               protocol as p, rules, vendedores)
from .state import Store
from .traffic import TrafficConfig, TrafficMiddleware

SERVICES = {
    "geral/clientes": clientes.CALLS,
    "financas/contareceber": contareceber.CALLS,
    "financas/contapagar": contapagar.CALLS,
    "geral/projetos": projetos.CALLS,
    "geral/vendedores": vendedores.CALLS,
    "geral/categorias": categorias.CALLS,
    "servicos/contrato": contrato.CALLS,
    "geral/empresas": empresas.CALLS,
}

log = logging.getLogger("omie_push.sandbox")

NOT_FOUND_HTML = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


def answer(body: Any, status: int, outcome: p.Outcome) -> Response:
    return Response(p.encode(body), status_code=status, media_type="application/json",
                    headers={p.OUTCOME_HEADER: outcome})


def fault_answer(fault: p.OmieFault) -> Response:
    return answer(fault.body(), fault.http_status, "error")


def accounts_of(accounts: Mapping[str, str] | Any) -> dict[str, str]:
    """app_key -> app_secret, from a mapping or pairs."""
    pairs = accounts.items() if isinstance(accounts, Mapping) else accounts
    return {str(k): str(s) for k, s in pairs}


class Sandbox:
    """Answers one Omie call: envelope, credentials, call, structure, then the service."""

    def __init__(self, accounts: Mapping[str, str], store: Store):
        self.accounts = accounts_of(accounts)
        self.store = store

    async def endpoint(self, request: Request) -> Response:
        service = f"{request.path_params['module']}/{request.path_params['service']}"
        if service not in SERVICES:
            return await not_found(request)
        if not request.url.path.endswith("/"):   # Omie redirects (omie-api.md §1.2)
            return Response(status_code=301, headers={"location": request.url.path + "/",
                                                      p.OUTCOME_HEADER: "error"})
        try:
            envelope = await self.envelope(request)
            return self.dispatch(SERVICES[service], envelope)
        except p.OmieFault as fault:
            return fault_answer(fault)
        except Exception:   # a sandbox bug: logged, and answered as Omie answers its own crashes
            log.exception("the sandbox failed on a call")
            return fault_answer(p.OmieFault("SOAP-ERROR: Broken response from Application Server (sandbox)",
                                            "SOAP-ENV:Server"))

    async def envelope(self, request: Request) -> dict:
        if request.method == "GET":   # legacy ?JSON=<url-encoded body> (omie-api.md §1.2)
            raw = (parse_qs(request.url.query).get("JSON") or [""])[0]
        else:
            raw = (await request.body()).decode("utf-8", errors="replace")
        try:
            envelope = json.loads(raw)
        except ValueError:
            raise p.bad_json() from None
        if not isinstance(envelope, dict):
            raise p.invalid_json_object()
        return envelope

    def dispatch(self, service_calls: dict, envelope: dict) -> Response:
        app_key = str(envelope.get("app_key", ""))
        if app_key not in self.accounts or self.accounts[app_key] != str(envelope.get("app_secret", "")):
            raise p.invalid_credentials()
        call_name = envelope.get("call")
        call = service_calls.get(call_name) if isinstance(call_name, str) else None
        if call is None:
            raise p.unknown_call(str(call_name))
        param = envelope.get("param")
        if not (isinstance(param, list) and len(param) == 1 and isinstance(param[0], dict)):
            raise p.bad_param()
        rules.check_tags(param[0], call.struct)
        company = self.store.company(app_key)
        with self.store.transaction():
            result = call.handler(company, param[0])
        body, outcome = result if isinstance(result, tuple) else (result, None)
        if outcome is None:
            outcome = "read" if p.call_kind(call.name) == "read" else "committed"
        return answer(body, 200, outcome)


def create_app(accounts: Mapping[str, str], state_path: str | None,
               traffic: TrafficConfig | None = None):
    """The sandbox ASGI app. `accounts`: app_key -> app_secret (each its own company);
    `state_path`: the SQLite file (None: in memory); `traffic`: a `TrafficConfig`, or None
    for no limits, latency or injected faults."""
    sandbox = Sandbox(accounts, Store(state_path))
    methods = ["POST", "GET"]
    app = Starlette(routes=[
        Route("/api/v1/{module}/{service}/", sandbox.endpoint, methods=methods),
        Route("/api/v1/{module}/{service}", sandbox.endpoint, methods=methods),
        Route("/{path:path}", not_found, methods=methods),
    ])
    app.state.sandbox = sandbox
    outer = app
    if traffic is not None:
        outer = TrafficMiddleware(app, traffic)
    outer.sandbox = sandbox   # for whoever serves it: close the store when done
    return outer


async def not_found(request: Request) -> Response:
    return Response(NOT_FOUND_HTML, 404, media_type="text/html", headers={p.OUTCOME_HEADER: "error"})
