"""Omie's answers sorted by consequence: retry after a wait, give up on the row, or stop the run.

Omie reuses its faultcodes loosely (103 and 105 both mean "not found", 102 covers several
validation errors), so `classify` reads the faultstring, as integrators do (omie-api.md §1.5,
§5.1); the code is kept only to be recorded. The texts matched below are Omie's own, quoted as
it sends them.
"""
from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from ..errors import FatalError, OmieError, RecordError, RetryableError


class FaultClass(enum.Enum):
    """What a fault means for the row and the run."""

    RETRYABLE = "retryable"   # come back after a wait; the row may still go through
    RECORD = "record"         # permanent for this row: sending it unchanged fails again
    FATAL = "fatal"           # no call on this key can succeed now: stop the run


@dataclass(frozen=True)
class Fault:
    """One classified fault. `kind` names the situation; `maybe_committed` says a write may have
    been applied although its answer says otherwise (so the record must be looked up first)."""

    fault_class: FaultClass
    kind: str
    faultstring: str
    faultcode: str | None = None
    http_status: int | None = None
    wait_seconds: float | None = None    # the wait Omie named ("Aguarde N segundos"), if any
    maybe_committed: bool = False
    existing_id: int | None = None       # the Id Omie names in a duplicate CNPJ/CPF fault

    def error(self, call: str | None = None) -> OmieError:
        """The matching exception of omie_push.errors."""
        kw = {"faultcode": self.faultcode, "http_status": self.http_status, "call": call}
        if self.fault_class is FaultClass.RETRYABLE:
            return RetryableError(self.faultstring, wait_seconds=self.wait_seconds, **kw)
        if self.fault_class is FaultClass.FATAL:
            return FatalError(self.faultstring, **kw)
        return RecordError(self.faultstring, **kw)


_AGUARDE = re.compile(r"Aguarde (\d+) segundos", re.I)
_TENTE_EM = re.compile(r"Tente novamente em (\d+) segundos", re.I)
_DUP_CNPJ = re.compile(r"já cadastrado para o CPF/CNPJ \[[^\]]*\] com o Id \[(\d+)\]", re.I)
_DUP_CODE = re.compile(r"já cadastrad[oa] para o Código de Integração \[[^\]]*\] com o nCod \[(\d+)\]",
                       re.I)

# (kind, fault class, maybe_committed, fragments of Omie's faultstring), first match wins.
# Fragments are lower-cased; accents kept as Omie writes them.
_RULES: tuple[tuple[str, FaultClass, bool, tuple[str, ...]], ...] = (
    ("misuse_block", FaultClass.FATAL, False, ("consumo indevido", "misuse_api_process")),
    ("bad_credentials", FaultClass.FATAL, False,
     ("chave de acesso está inválida", "chave de acesso não está preenchida",
      "aplicativo está suspenso")),
    ("redundant", FaultClass.RETRYABLE, True, ("consumo redundante", "(redundant)")),
    ("already_processed", FaultClass.RETRYABLE, True,
     ("já foi processada ou está sendo processada",)),
    ("method_busy", FaultClass.RETRYABLE, False, ("já existe uma requisição desse método",)),
    ("broken_response", FaultClass.RETRYABLE, True, ("broken response",)),
    ("timeout", FaultClass.RETRYABLE, True, ("request timeout",)),
    ("rate_limit", FaultClass.RETRYABLE, False, ("too many requests",)),
    ("duplicate_cnpj", FaultClass.RECORD, False, ("cadastrado para o cpf/cnpj",)),
    ("duplicate_code", FaultClass.RECORD, False,
     ("já cadastrado para o código de integração", "já cadastrada para o código de integração",
      "já foi cadastrado anteriormente")),
    ("no_records", FaultClass.RECORD, False, ("não existem registros", "não existem cadastros")),
    ("not_found", FaultClass.RECORD, False, ("não cadastrado", "não cadastrada", "não encontrad")),
    ("no_permission", FaultClass.RECORD, False, ("não possui permissão",)),
    ("unknown_tag", FaultClass.RECORD, False, ("não faz parte da estrutura",)),
)


def classify(status_code: int | None, body_or_exception: Any) -> Fault | None:
    """Classify one answer: None when it is a success, else the `Fault`.

    `body_or_exception` is the parsed JSON body, the raw text of a body that is not JSON,
    or the httpx exception raised instead of an answer (timeout, dropped connection).
    """
    if isinstance(body_or_exception, BaseException):
        return _classify_exception(body_or_exception)
    body = body_or_exception
    if isinstance(body, (bytes, str)):
        body = _parse(body)
    if isinstance(body, dict) and not _is_fault(status_code, body):
        return None
    if not isinstance(body, dict):
        return _classify_not_json(status_code, body)
    return _classify_fault_body(status_code, body)


def _parse(raw: bytes | str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


def _is_fault(status_code: int | None, body: dict) -> bool:
    # Some clients see faults on HTTP 200 (omie-api.md §1.4): check the body on every status.
    if "faultstring" in body or "faultcode" in body or "error_code" in body:
        return True
    return status_code is not None and status_code >= 400


def _classify_exception(exc: BaseException) -> Fault:
    if isinstance(exc, httpx.TimeoutException):
        # Connect timeouts never reached Omie; read/write/pool timeouts may have.
        sent = not isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
        return Fault(FaultClass.RETRYABLE, "timeout", f"timeout: {type(exc).__name__}",
                     maybe_committed=sent)
    sent = not isinstance(exc, httpx.ConnectError)
    return Fault(FaultClass.RETRYABLE, "connection_lost",
                 f"connection lost: {type(exc).__name__}", maybe_committed=sent)


def _classify_not_json(status_code: int | None, text: Any) -> Fault:
    """HTML 500/502/503/504 pages and other non-JSON bodies: infrastructure, retry later."""
    snippet = re.sub(r"\s+", " ", str(text))[:120]
    if status_code in (301, 302, 307, 308, 404, 405):
        # A path without its trailing slash, or no such service: every call would fail alike.
        return Fault(FaultClass.FATAL, "bad_url", f"HTTP {status_code}: check base_url and the "
                     f"service path (Omie needs the trailing slash): {snippet}", None, status_code)
    if status_code == 429:
        return Fault(FaultClass.RETRYABLE, "rate_limit", snippet or "Too many requests", None, 429)
    if status_code == 403:
        return Fault(FaultClass.FATAL, "bad_credentials", snippet, None, 403)
    return Fault(FaultClass.RETRYABLE, "server_error", f"HTTP {status_code}: {snippet}",
                 None, status_code, maybe_committed=True)


def _classify_fault_body(status_code: int | None, body: dict) -> Fault:
    text = str(body.get("faultstring") or body.get("error_message") or body.get("message") or "")
    code = body.get("faultcode") or (str(body["error_code"]) if "error_code" in body else None)
    low = f"{text} {code or ''}".lower()
    for kind, fault_class, maybe_committed, fragments in _RULES:
        if any(f in low for f in fragments):
            return Fault(fault_class, kind, text, code, status_code,
                         wait_seconds=_named_wait(text), maybe_committed=maybe_committed,
                         existing_id=_existing_id(kind, text))
    return _by_status(status_code, text, code)


def _by_status(status_code: int | None, text: str, code: str | None) -> Fault:
    """No known text: decide by the HTTP status, then default to a refusal of the row."""
    if status_code == 429:
        return Fault(FaultClass.RETRYABLE, "rate_limit", text or "Too many requests", code, 429)
    if status_code == 425:
        return Fault(FaultClass.FATAL, "misuse_block", text, code, 425, _named_wait(text))
    if status_code == 403:
        return Fault(FaultClass.FATAL, "bad_credentials", text, code, 403)
    if status_code is not None and status_code in (502, 503, 504):
        return Fault(FaultClass.RETRYABLE, "server_error", text, code, status_code,
                     maybe_committed=True)
    # Validation faults ("O preenchimento da tag [x] é obrigatório!", invalid values, too long):
    # HTTP 500 with a business text, permanent for the row.
    return Fault(FaultClass.RECORD, "refused", text, code, status_code)


def _named_wait(text: str) -> float | None:
    for pattern in (_AGUARDE, _TENTE_EM):
        m = pattern.search(text)
        if m:
            return float(m.group(1))
    return None


def _existing_id(kind: str, text: str) -> int | None:
    pattern = {"duplicate_cnpj": _DUP_CNPJ, "duplicate_code": _DUP_CODE}.get(kind)
    m = pattern.search(text) if pattern else None
    return int(m.group(1)) if m else None
