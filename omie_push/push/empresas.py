"""Which Omie company an app key belongs to (`ListarEmpresas`, omie-api.md §8), checked before a
company's first write of a run, so swapped keys are caught before anything lands in the wrong
company: the answer (razão social, CNPJ) is shown per company, and a company given `cnpj:` in
omie_push.yml is stopped when its key answers for another CNPJ.

`company_of(sender)` makes the one call through a sender (paced like any other);
`identify(settings, transport)` is the same for a caller without a run (`omie-push debug`).
"""
from __future__ import annotations

import asyncio
import re
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from ..errors import FatalError, OmieError

PATH, CALL = "geral/empresas/", "ListarEmpresas"
PARAM = {"pagina": 1, "registros_por_pagina": 50, "apenas_importado_api": "N"}


@dataclass(frozen=True)
class OmieCompany:
    """What Omie says of the company a key belongs to."""

    razao_social: str | None
    cnpj: str | None
    nome_fantasia: str | None = None
    codigo_empresa: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        return f"{self.razao_social or '(no razão social)'} (CNPJ {self.cnpj or 'unknown'})"


async def company_of(sender) -> OmieCompany:
    """One ListarEmpresas through the sender; raises the fault's OmieError (FatalError for a
    wrong secret or a suspended key: the sender is then stopped, as for any call)."""
    answer, fault = await sender.call(PATH, CALL, dict(PARAM))
    if fault is not None:
        raise fault.error(CALL)
    rows = (answer.body or {}).get("empresas_cadastro") if isinstance(answer.body, dict) else None
    if not rows:
        raise OmieError(f"{CALL} answered no company for this app key", call=CALL)
    return _company_from(rows[0])


def _company_from(first: dict) -> OmieCompany:
    code = first.get("codigo_empresa")
    return OmieCompany(first.get("razao_social"), first.get("cnpj"), first.get("nome_fantasia"),
                       int(code) if str(code or "").isdigit() else None)


def identify(settings, transport: Any = None) -> OmieCompany:
    """`company_of` for one target's settings, with a sender of its own (sync)."""
    from ..client import make_sender

    async def ask() -> OmieCompany:
        async with make_sender(settings, transport=transport) as sender:
            return await company_of(sender)

    return asyncio.run(ask())


def digits(cnpj: str | None) -> str:
    return re.sub(r"\D", "", cnpj or "")


class CheckedSender:
    """A company's sender that asks ListarEmpresas once, before the first call of its first
    send with rows, and stops the company when its key is not the company configured."""

    def __init__(self, sender, name: str, expected_cnpj: str | None, on_checked):
        self._sender, self.name, self.expected = sender, name, expected_cnpj
        self._on_checked = on_checked          # (name, OmieCompany | None, problem | None)
        self._lock: asyncio.Lock | None = None
        self._done = False
        self._refusal: FatalError | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sender, name)

    @property
    def before_write(self):
        return self._sender.before_write

    @before_write.setter
    def before_write(self, hook) -> None:
        """The journal's hook (push.journal) belongs on the sender that makes the calls."""
        self._sender.before_write = hook

    @property
    def before_first_call(self):
        return self._sender.before_first_call

    @before_first_call.setter
    def before_first_call(self, hook) -> None:
        """The run's preflight (push.run) runs before the first call the inner sender makes."""
        self._sender.before_first_call = hook

    async def send(self, endpoint, items: Sequence, on_result) -> None:
        if items:
            await self.check()
        await self._sender.send(endpoint, items, on_result)

    async def preflight(self):
        """The run's preflight (client.preflight) answers ListarEmpresas already: judge the
        key's company from it instead of asking a second time."""
        inner = getattr(self._sender, "preflight", None)
        if inner is None:                 # a test's sender: no preflight
            return None
        found = await inner()
        if found.empresa is not None and not self._done:
            self._done = True
            self._judge(_company_from(found.empresa))
        return found

    async def check(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if not self._done:
                self._done = True
                await self._ask()
        if self._refusal is not None:
            raise self._refusal

    async def _ask(self) -> None:
        try:
            found = await company_of(self._sender)
        except OmieError as exc:
            status = f" HTTP {exc.http_status}" if getattr(exc, "http_status", None) else ""
            problem = f"{CALL} answered{status} \"{exc}\": the key's company is unknown"
            self._on_checked(self.name, None, problem)
            if self.expected and not isinstance(exc, FatalError):
                self._refusal = FatalError(f"{problem}; the company's CNPJ could not be checked "
                                           f"before writing", call=CALL)
            return
        self._judge(found)

    def _judge(self, found: OmieCompany) -> None:
        problem = None
        if self.expected and digits(found.cnpj) != self.expected:
            problem = (f"app key {self._sender.settings.app_key} belongs to {found.describe()}, "
                       f"not to CNPJ {self.expected} as omie_push.yml says for company {self.name}: "
                       f"nothing was written. Fix: swap the keys, or correct the cnpj")
            self._refusal = FatalError(problem, call=CALL)
        self._on_checked(self.name, found, problem)
