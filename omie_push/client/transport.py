"""The HTTP side of a target: one httpx.AsyncClient, and one POST per Omie call.

Every call is `POST <base_url>/<endpoint path>` (trailing slash kept: without it Omie answers
301) with the four-key JSON body of omie-api.md §1.2. The body carries the App Secret, so it is
built here, sent, and never logged, stored or put in an exception message.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from .types import TargetSettings


@dataclass
class Answer:
    """What came back for one call: the HTTP status and the parsed body, or the exception."""

    status_code: int | None
    body: Any = None                    # dict for JSON, str for anything else
    error: BaseException | None = None  # timeout / dropped connection instead of an answer

    @property
    def payload(self) -> Any:
        return self.error if self.error is not None else self.body


def url_for(settings: TargetSettings, path: str) -> str:
    """base_url + '/' + the endpoint's path, whose trailing slash Omie requires."""
    return f"{settings.base_url.rstrip('/')}/{path.lstrip('/')}"


def make_client(settings: TargetSettings,
                transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The AsyncClient for a target: over `transport` when given (an in-process app, a test's
    MockTransport), else real HTTP."""
    timeout = httpx.Timeout(settings.timeout_seconds, connect=min(10.0, settings.timeout_seconds))
    # Redirects are not followed: a 301 means a path without its trailing slash, a bug to see.
    return httpx.AsyncClient(transport=transport, timeout=timeout, follow_redirects=False,
                             headers={"Content-Type": "application/json"},
                             limits=httpx.Limits(max_connections=64,
                                                 max_keepalive_connections=32))


def request_body(settings: TargetSettings, call: str, param: dict[str, Any]) -> bytes:
    """The JSON body of one call. Holds the App Secret: pass it to httpx only."""
    return json.dumps({"call": call, "app_key": settings.app_key,
                       "app_secret": settings.app_secret, "param": [param]},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def post(client: httpx.AsyncClient, settings: TargetSettings, path: str, call: str,
               param: dict[str, Any]) -> Answer:
    """One Omie call. Transport failures come back in `Answer.error`, never raised, and
    carry no request (so no body) with them."""
    try:
        response = await client.post(url_for(settings, path),
                                     content=request_body(settings, call, param))
    except httpx.TransportError as exc:
        return Answer(None, error=_scrubbed(exc))
    try:
        body: Any = response.json()
    except (ValueError, UnicodeDecodeError):
        body = response.text
    return Answer(response.status_code, body)


def _scrubbed(exc: httpx.TransportError) -> httpx.TransportError:
    """The same exception type and message, without the request (whose body holds the secret)."""
    clean = type(exc)(str(exc))
    return clean
