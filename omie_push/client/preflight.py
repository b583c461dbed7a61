"""Preflight: one cheap call before a run plans anything, proving the target answers and the
key is valid, and saying which Omie company the key belongs to.

`ListarEmpresas` on `geral/empresas/` answers the company of the key (omie-api.md §8). What
its answer proves:

- an answer of Omie's shape: the URL is Omie's (or the sandbox's) and the key is valid; the
  company's razão social and CNPJ are reported;
- HTTP 403 / "chave de acesso está inválida": the key (or its secret) is wrong: stop, exit 3,
  naming the key, never the secret;
- no answer at all (connection refused, DNS, connect timeout), a redirect, a 404 or a page
  that is not Omie's JSON: the URL is wrong: stop, exit 3, naming the URL. A refused connection
  is tried three times within a few seconds, not retried for minutes;
- any other fault (429, 5xx, Broken response, REDUNDANT, a block on ListarEmpresas alone): the
  URL answers as Omie does, the run goes on and its own calls meet whatever comes.

The call goes straight to the transport, outside the lanes and breakers: it must not count as
one of the run's calls, nor stop the key on a fault of its own.
"""
from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from ..errors import FatalError
from .faults import FaultClass, classify
from .transport import request_body, url_for

if TYPE_CHECKING:
    from .caller import Caller

PATH, CALL = "geral/empresas/", "ListarEmpresas"
ATTEMPTS = 3
PAUSE_SECONDS = 1.0
TIMEOUT = httpx.Timeout(15.0, connect=5.0)
_runs = itertools.count()


@dataclass(frozen=True)
class Preflight:
    """What the preflight learnt: the company of the key (None when Omie did not say)."""

    company: str | None
    note: str | None = None
    empresa: dict | None = None      # ListarEmpresas' first record, as Omie sent it


def param() -> dict:
    """A page size that changes from run to run: Omie answers an identical request made
    within 60 s with REDUNDANT, which counts towards its misuse block."""
    size = 1 + (int(time.time()) + next(_runs)) % 500
    return {"pagina": 1, "registros_por_pagina": size, "apenas_importado_api": "N"}


async def check(caller: "Caller") -> Preflight:
    """Make the call; return what it proves or raise FatalError (exit 3) naming the URL or key."""
    caller.start()
    settings = caller.settings
    url = url_for(settings, PATH)
    error: BaseException | None = None
    for attempt in range(ATTEMPTS):
        if attempt:
            await asyncio.sleep(PAUSE_SECONDS * attempt)
        try:
            response = await caller._client.post(url, content=request_body(settings, CALL, param()),
                                                 timeout=TIMEOUT)
        except httpx.TransportError as exc:
            error = exc
            continue
        return _judge(settings, url, response)
    raise FatalError(f"{settings.base_url} does not answer ({_what(error)}, {ATTEMPTS} tries). "
                     f"Fix: check base_url of target {settings.name!r} in omie_push.yml, and that "
                     f"the server (Omie, or `omie-push sandbox serve`) is running and reachable.")


def _judge(settings, url: str, response: httpx.Response) -> Preflight:
    try:
        body = response.json()
    except ValueError:
        body = response.text
    fault = classify(response.status_code, body)
    if fault is None:
        records = body.get("empresas_cadastro") or [None]
        first = records[0] if isinstance(records[0], dict) else None
        return Preflight(_company(body), empresa=first)
    if fault.kind == "bad_credentials":
        raise FatalError(f"the app key {settings.app_key} was refused by {settings.base_url}: "
                         f"\"{fault.faultstring}\". Fix: check app_key and app_secret of target "
                         f"{settings.name!r} (the environment variable omie_push.yml names), "
                         f"and that the app is active in Omie's developer portal.")
    if fault.kind == "bad_url" or (response.status_code == 200 and not isinstance(body, dict)):
        raise FatalError(f"{settings.base_url} does not answer as Omie's API does (HTTP "
                         f"{response.status_code} from {url}). Fix: check base_url of target "
                         f"{settings.name!r} in omie_push.yml (Omie's is https://app.omie.com.br/api/v1).")
    kind = "refused" if fault.fault_class is FaultClass.RECORD else "not now"
    return Preflight(None, f"{CALL} {kind}: \"{fault.faultstring}\"; going on")


def _company(body: dict) -> str | None:
    records = body.get("empresas_cadastro") or []
    if not records or not isinstance(records[0], dict):
        return None
    first = records[0]
    name = first.get("razao_social") or first.get("nome_fantasia")
    cnpj = first.get("cnpj")
    return f"{name} (CNPJ {cnpj})" if cnpj else name


def _what(exc: BaseException | None) -> str:
    """The failure named without the request (whose body holds the secret)."""
    if exc is None:
        return "no answer"
    text = str(exc).splitlines()[0][:160] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
