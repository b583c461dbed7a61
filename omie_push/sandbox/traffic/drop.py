"""A dropped connection that looks like one to the client, over a socket and in-process.

The answer starts (status line, headers with a Content-Length), half its body goes out, then
`DroppedConnection` is raised. Under uvicorn the server closes the socket mid-body, so httpx raises
`RemoteProtocolError` ("peer closed connection without sending complete message body"). Through
`httpx.ASGITransport` (with its default `raise_app_exceptions=True`) the exception reaches the client
itself; it subclasses `httpx.RemoteProtocolError`, so a client catches the same type both ways.
"""
from __future__ import annotations

import logging

import httpx

from .answers import Answer


class DroppedConnection(httpx.RemoteProtocolError):
    """The sandbox dropped the connection on purpose (an injected fault)."""


class _QuietDrops(logging.Filter):
    """Keeps uvicorn from logging a traceback for every drop we inject on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


_FILTER = _QuietDrops()


def quiet_uvicorn_logs() -> None:
    """Install the filter once on uvicorn's error logger (where it reports app exceptions)."""
    logger = logging.getLogger("uvicorn.error")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


async def drop(send, answer: Answer | None, why: str) -> None:
    """Start `answer` (or an empty 200), send half of its body, then break the connection."""
    status = answer.status if answer else 200
    body = answer.body if answer else b""
    declared = max(len(body), 64)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(declared).encode())]})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    raise DroppedConnection(f"the Omie sandbox dropped the connection ({why})")
