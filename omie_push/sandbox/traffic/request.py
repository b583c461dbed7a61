"""What the traffic rules need to know about one call, read from the ASGI request."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from urllib.parse import parse_qs

READ_PREFIXES = ("Listar", "Consultar", "Pesquisar")


@dataclass(frozen=True)
class CallInfo:
    """One Omie call as the limits see it. Holds no secret: `app_secret` is never kept."""

    ip: str
    app_key: str
    call: str
    fingerprint: str   # sha256 of (app_key, call, canonical param): the REDUNDANT key

    @property
    def is_read(self) -> bool:
        return self.call.startswith(READ_PREFIXES)

    @property
    def method_key(self) -> tuple[str, str]:
        return (self.app_key, self.call)


async def read_body(receive) -> bytes:
    """The whole request body (ASGI may deliver it in several messages)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def call_info(scope, body: bytes) -> CallInfo | None:
    """The call in a POST JSON body (or a legacy `GET ?JSON=`), or None if there is none to read.
    The sandbox's front door hands over the envelope it parsed in `scope["omie.envelope"]`."""
    envelope = scope.get("omie.envelope")
    if envelope is None:
        envelope = _envelope(scope, body)
    if not isinstance(envelope, dict):
        return None
    call, app_key = envelope.get("call"), envelope.get("app_key")
    if not isinstance(call, str) or not call or isinstance(app_key, bool) \
            or not isinstance(app_key, (str, int)):
        return None
    canonical = json.dumps([str(app_key), call, envelope.get("param")], sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False, default=str)
    client = scope.get("client") or ("unknown", 0)
    return CallInfo(ip=str(client[0]), app_key=str(app_key), call=call,
                    fingerprint=hashlib.sha256(canonical.encode()).hexdigest())


def _envelope(scope, body: bytes):
    raw = body
    if scope.get("method") == "GET":
        values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("JSON")
        raw = values[0].encode() if values else b""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
