"""The answers the traffic layer gives instead of the simulator's, in Omie's own words (omie-api.md §1.4, §1.5).

Texts are quoted exactly as Omie sends them; JSON is written with `\\uXXXX` escapes as Omie does.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer: status, headers and body."""

    status: int
    body: bytes
    content_type: bytes = b"application/json"

    @property
    def headers(self) -> list[tuple[bytes, bytes]]:
        return [(b"content-type", self.content_type),
                (b"content-length", str(len(self.body)).encode())]


def _json(status: int, payload: dict) -> Answer:
    return Answer(status, json.dumps(payload, ensure_ascii=True).encode())


def _seconds(wait: float) -> int:
    return max(1, math.ceil(wait - 1e-9))


def fault(faultstring: str, faultcode: str, status: int = 500) -> Answer:
    return _json(status, {"faultstring": faultstring, "faultcode": faultcode})


def too_many_requests(salt: str) -> Answer:
    """HTTP 429, the body seen in MORAIS's test; no Retry-After header (none is reported, §1.4)."""
    error_hash = hashlib.sha1(salt.encode()).hexdigest()
    return _json(429, {"error_code": 429, "error_message": "Too Many Requests",
                       "error_hash": error_hash})


def method_running() -> Answer:
    """`Client-1880`: a write (or an identical call) of this method is still being executed."""
    return fault("ERROR: Já existe uma requisição desse método sendo executada e você pode "
                 "tentar novamente em alguns instantes. (1)", "SOAP-ENV:Client-1880")


def redundant(wait: float) -> Answer:
    """`Client-6`: the same request within 60 s; `wait` is the seconds the text names."""
    return fault(f"ERROR: Consumo redundante detectado. Aguarde {_seconds(wait)} segundos para "
                 f"tentar novamente (REDUNDANT).", "SOAP-ENV:Client-6")


def misuse_block(wait: float) -> Answer:
    """HTTP 425 `MISUSE_API_PROCESS`: this app key's method is blocked."""
    return fault(f"API bloqueada por consumo indevido. Tente novamente em {_seconds(wait)} segundos.",
                 "MISUSE_API_PROCESS", status=425)


def broken_response() -> Answer:
    """The intermittent server hiccup (§1.5 "Server hiccup"), HTTP 500 with a JSON body."""
    return fault("SOAP-ERROR: Broken response from Application Server (BG)", "SOAP-ENV:Server")


_HTML_TITLES = {502: "502 Bad Gateway", 503: "503 Service Temporarily Unavailable",
                504: "504 Gateway Time-out"}


def html_error(status: int) -> Answer:
    """An infrastructure error page, HTML and not JSON (§1.4 "502/503/504, HTML 500")."""
    title = _HTML_TITLES[status]
    page = (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
            f"</body>\r\n</html>\r\n")
    return Answer(status, page.encode(), b"text/html")
