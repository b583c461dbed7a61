"""The sandbox as an ASGI app: Omie's URL per service, its envelope, its faults.

Three layers, in the order Omie checks a request (docs/sandbox.md, "Order of checks"):

    gate.FrontDoor           route, JSON, credentials (403, also for a suspended app)
      TrafficMiddleware      limits, REDUNDANT, latency, injected faults (when `traffic` is given)
        Starlette app        the call: its param, its rules, the service (`Sandbox.endpoint`)

Served over real HTTP by uvicorn (`omie-push sandbox serve`, `testing.serve`) or in-process
through `httpx.ASGITransport` (`embedded.asgi_transport`). The inner app marks every answer with
the private `x-sandbox-outcome` header (read / committed / error) for the traffic layer; the
front door strips it, so no client ever sees it.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import (categorias, clientes, contapagar, contareceber, contrato, empresas, projetos,
               protocol as p, rules, vendedores)
from . import fixtures as fixture_sets
from .accounts import Account, accounts_of
from .gate import ENVELOPE, NOT_FOUND_HTML, FrontDoor
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


def answer(body: Any, status: int, outcome: p.Outcome) -> Response:
    response = Response(p.encode(body), status_code=status, media_type=p.CONTENT_TYPE,
                        headers={p.OUTCOME_HEADER: outcome})
    warning = p.warning_of(body) if status == 200 else None
    if warning:   # UTF-8 bytes, as Omie's PHP sends them (Starlette would encode latin-1)
        response.raw_headers.append((p.WARNING_HEADER.encode(), warning.encode("utf-8")))
    return response


def fault_answer(fault: p.OmieFault) -> Response:
    return answer(fault.body(), fault.http_status, "error")


class Sandbox:
    """Answers one Omie call whose route, JSON and credentials the front door checked."""

    def __init__(self, accounts: Mapping[str, Account], store: Store):
        self.accounts = accounts
        self.store = store

    async def endpoint(self, request: Request) -> Response:
        service = f"{request.path_params['module']}/{request.path_params['service']}"
        if service not in SERVICES:   # only when the app is called without its front door
            return not_found_answer()
        try:
            envelope = request.scope.get(ENVELOPE) or await self.envelope(request)
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
        account = self.accounts.get(app_key)
        if account is None or not account.secret_matches(envelope.get("app_secret")):
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


def open_companies(store: Store, accounts: Mapping[str, Account]) -> None:
    """Create each company (with a new company's records), load its fixture sets once, and
    give it the name and CNPJ its account says."""
    for account in accounts.values():
        company = store.company(account.app_key)
        fixture_sets.load(store, account.app_key, account.fixtures)
        if account.razao_social or account.cnpj or account.nome_fantasia:
            with store.transaction():
                empresas.set_empresa(company, account.razao_social, account.cnpj,
                                     account.nome_fantasia)


def create_app(accounts: Mapping[str, Any] | Any, state_path: str | None,
               traffic: TrafficConfig | None = None, *, fixtures: Iterable[str] = ()):
    """The sandbox ASGI app. `accounts`: app_key -> app_secret, or app_key -> a spec dict
    (`accounts.accounts_of`: app_secret, razao_social, cnpj, nome_fantasia, fixtures), each
    its own company; `state_path`: the SQLite file (None: in memory); `traffic`: a
    `TrafficConfig`, or None for no limits, latency or injected faults; `fixtures`: fixture
    sets (`fixtures.SETS`: "demo") loaded into every company, once."""
    served = accounts_of(accounts, fixtures)
    store = Store(state_path)
    try:
        open_companies(store, served)
    except BaseException:
        store.close()
        raise
    sandbox = Sandbox(served, store)
    methods = ["POST", "GET"]
    app = Starlette(routes=[
        Route("/api/v1/{module}/{service}/", sandbox.endpoint, methods=methods),
        Route("/{path:path}", lambda request: not_found_answer(), methods=methods),
    ])
    inner = app if traffic is None else TrafficMiddleware(app, traffic)
    outer = FrontDoor(inner, served, store, SERVICES)
    outer.sandbox = sandbox   # for whoever serves it: close the store when done
    outer.simulator = app     # the innermost app, whose answers carry the outcome mark
    return outer


def not_found_answer() -> Response:
    return Response(NOT_FOUND_HTML, 404, media_type="text/html", headers={p.OUTCOME_HEADER: "error"})
