"""The front door: what Omie checks before its limits see a request.

Omie's order (issue 17, docs/sandbox.md): the route (an unknown service is 404, a path without
its trailing slash 301) and the JSON (`JSON request with SyntaxError`, `Invalid JSON Object`),
then the credentials (HTTP 403, also for a suspended app), then the limits and REDUNDANT
(`traffic.TrafficMiddleware`), then the call itself (`app.Sandbox`). So a wrong secret is 403
whatever came before, and only requests that reached a call count towards REDUNDANT and the
misuse block. The front door is the outermost ASGI layer:

    FrontDoor(TrafficMiddleware(simulator))       # create_app builds this

It hands the envelope it parsed to the layers inside in `scope["omie.envelope"]` (parsed once),
strips the simulator's private outcome mark from every answer, and serves the admin routes
(`/_sandbox/...`, `admin_http.py`).
"""
from __future__ import annotations

import json
import re
from typing import Any, Mapping
from urllib.parse import parse_qs

from . import admin_http
from . import protocol as p
from .accounts import Account
from .state import Store

ENVELOPE = "omie.envelope"
ROUTE = re.compile(r"^/api/v1/([^/]+)/([^/]+)(/?)$")
NOT_FOUND_HTML = b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
OUTCOME = p.OUTCOME_HEADER.encode()


class FrontDoor:
    """Route, JSON and credentials, in Omie's order, before the layers inside."""

    def __init__(self, inner, accounts: Mapping[str, Account], store: Store, services):
        self.inner = inner
        self.accounts = accounts
        self.store = store
        self.services = services

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.inner(scope, receive, send)
        path = scope["path"]
        if path.startswith(admin_http.PREFIX):
            body = await read_body(receive)
            return await admin_http.handle(scope, body, send, self.accounts, self.store)
        route = ROUTE.match(path)
        if route is None or f"{route.group(1)}/{route.group(2)}" not in self.services:
            return await raw(send, 404, NOT_FOUND_HTML, b"text/html")
        if not route.group(3):   # Omie redirects to the path with its slash (omie-api.md §1.2)
            return await raw(send, 301, b"", b"text/html", [(b"location", (path + "/").encode())])
        if scope.get("method") not in ("GET", "POST"):
            return await raw(send, 405, b"Method Not Allowed", b"text/plain")
        body = await read_body(receive)
        try:
            envelope = parse(scope, body)
            self.check_credentials(envelope)
        except p.OmieFault as fault:
            return await raw(send, fault.http_status, p.encode(fault.body()), p.CONTENT_TYPE.encode())
        inner_scope = {**scope, ENVELOPE: envelope}
        await self.inner(inner_scope, replay(body, receive), without_outcome(send))

    def check_credentials(self, envelope: dict) -> None:
        """403 for an unknown key, a wrong secret or a suspended app (omie-api.md §1.5, §8)."""
        key = envelope.get("app_key")
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise p.invalid_credentials()
        account = self.accounts.get(str(key))
        if account is None or not account.secret_matches(envelope.get("app_secret")) \
                or self.store.is_suspended(account.app_key):
            raise p.invalid_credentials()


def parse(scope, body: bytes) -> dict:
    """The envelope of a POST body or a legacy `GET ?JSON=` (omie-api.md §1.2)."""
    if scope.get("method") == "GET":
        raw_text = (parse_qs(scope.get("query_string", b"").decode("latin-1")).get("JSON") or [""])[0]
    else:
        raw_text = body.decode("utf-8", errors="replace")
    try:
        envelope: Any = json.loads(raw_text)
    except ValueError:
        raise p.bad_json() from None
    if not isinstance(envelope, dict):
        raise p.invalid_json_object()
    return envelope


async def read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes, receive):
    """A `receive` that hands the inner layers the body already read, then the real channel."""
    sent = False

    async def again():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return again


def without_outcome(send):
    async def strip(message):
        if message["type"] == "http.response.start":
            message = dict(message, headers=[(k, v) for k, v in message.get("headers", [])
                                             if k.lower() != OUTCOME])
        await send(message)
    return strip


async def raw(send, status: int, body: bytes, content_type: bytes, extra: list | None = None) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
               *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
