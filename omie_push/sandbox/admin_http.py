"""The admin routes of a served sandbox, outside Omie's /api/v1: `POST /_sandbox/<op>`.

What a person does in Omie's screens, or Omie's staff to an app (`admin.py`), for a test or a
trial that drives a running sandbox over HTTP. Every body names the company by `app_key` and
proves it with its `app_secret` (so the admin routes open nothing the API does not); answers are
plain JSON, never Omie-shaped, and pass no limits (they are not Omie calls):

    POST /_sandbox/suspend  {"app_key", "app_secret"}                  -> {"ok": true}
    POST /_sandbox/resume   {"app_key", "app_secret"}                  -> {"ok": true}
    POST /_sandbox/edit     {"app_key", "app_secret", "endpoint": "clientes",
                             "omie_id": N | "code": "CLI-1", "changes": {...},
                             "user": "P000100001", "at": "dd/mm/aaaa hh:mm:ss"}   -> {"ok", "record"}
    POST /_sandbox/create   {"app_key", "app_secret", "endpoint", "fields": {...}, "user", "at"}
    POST /_sandbox/delete   {"app_key", "app_secret", "endpoint", "omie_id" | "code"}
    POST /_sandbox/load     {"app_key", "app_secret", "fixtures": ["demo"]}  -> {"ok", "loaded"}

Errors: 400 `{"error": "..."}` (a bad request, or the fault the API would answer, as text), 403
for a key or secret the sandbox does not serve, 404 for an unknown op.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from . import admin, fixtures
from . import protocol as p
from .accounts import Account
from .state import Store

PREFIX = "/_sandbox/"
BY = ("omie_id", "code")


async def handle(scope, body: bytes, send, accounts: Mapping[str, Account], store: Store) -> None:
    op = scope["path"][len(PREFIX):].strip("/")
    if op not in OPS or scope.get("method") != "POST":
        return await reply(send, 404, {"error": f"no admin op {op!r} (known: {', '.join(OPS)})"})
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return await reply(send, 400, {"error": "the body must be a JSON object"})
    if not isinstance(request, dict):
        return await reply(send, 400, {"error": "the body must be a JSON object"})
    account = accounts.get(str(request.get("app_key", "")))
    if account is None or not account.secret_matches(request.get("app_secret")):
        return await reply(send, 403, {"error": "unknown app_key or wrong app_secret"})
    try:
        answer = OPS[op](store, account.app_key, request)
    except (admin.AdminError, fixtures.UnknownFixture) as exc:
        return await reply(send, 400, {"error": str(exc)})
    except p.OmieFault as fault:
        return await reply(send, 400, {"error": fault.faultstring, "faultcode": fault.faultcode})
    await reply(send, 200, {"ok": True, **answer})


def _suspend(store: Store, key: str, request: dict) -> dict:
    admin.suspend(store, key, True)
    return {}


def _resume(store: Store, key: str, request: dict) -> dict:
    admin.suspend(store, key, False)
    return {}


def _who(request: dict) -> dict[str, Any]:
    return {"user": str(request.get("user") or admin.UI_USER),
            "at": admin.parse_moment(request.get("at"))}


def _edit(store: Store, key: str, request: dict) -> dict:
    record = admin.edit(store, key, str(request.get("endpoint")), request.get("changes") or {},
                        **{k: request.get(k) for k in BY}, **_who(request))
    return {"record": record}


def _create(store: Store, key: str, request: dict) -> dict:
    record = admin.create(store, key, str(request.get("endpoint")), request.get("fields") or {},
                          **_who(request))
    return {"record": record}


def _delete(store: Store, key: str, request: dict) -> dict:
    record = admin.delete(store, key, str(request.get("endpoint")), **{k: request.get(k) for k in BY})
    return {"record": record}


def _load(store: Store, key: str, request: dict) -> dict:
    names = request.get("fixtures") or []
    return {"loaded": fixtures.load(store, key, [names] if isinstance(names, str) else names)}


OPS = {"suspend": _suspend, "resume": _resume, "edit": _edit, "create": _create,
       "delete": _delete, "load": _load}


async def reply(send, status: int, body: dict) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})
