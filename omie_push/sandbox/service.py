"""What the service modules share: a call's definition, timestamps and Omie's pagination."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from . import protocol as p
from .rules import Struct, filled
from .state import Company

Handler = Callable[[Company, dict], dict]

PAGE_CAP = 500          # rows per page at most (H-BP recommends ≤ 500); more asked → 500 given
PAGE_DEFAULT = 50       # when registros_por_pagina is absent (Omie's default is not documented)


@dataclass(frozen=True)
class Call:
    """One Omie call: the complex type of its param[0] and the function that answers it."""

    name: str
    struct: Struct
    handler: Handler


def calls(*defs: Call) -> dict[str, Call]:
    return {c.name: c for c in defs}


WEBSERVICE = "WEBSERVICE"    # uInc/uAlt of records written through the API (omie-api.md §8)
UI_USER = "P000100001"      # the user code of edits made in Omie's screens (a made-up one)


def stamp(at: datetime | None = None) -> tuple[str, str]:
    now = at or datetime.now()
    return now.strftime("%d/%m/%Y"), now.strftime("%H:%M:%S")


@dataclass(frozen=True)
class Stamps:
    """Where a record keeps who wrote it and when: `info` on clientes and títulos,
    `infoCadastro` on contratos (omie-api.md §8-9), snake-case `info` on projetos/vendedores (§3.4)."""

    block: str
    d_inc: str
    h_inc: str
    u_inc: str
    d_alt: str
    h_alt: str
    u_alt: str
    imported: str | None = "cImpAPI"

    def new(self, user: str = WEBSERVICE, at: datetime | None = None) -> dict:
        """The block of a record created now: through the API (WEBSERVICE, cImpAPI "S") or
        typed in Omie's screens (a user code, cImpAPI "N")."""
        d, h = stamp(at)
        block = {self.d_inc: d, self.h_inc: h, self.u_inc: user,
                 self.d_alt: d, self.h_alt: h, self.u_alt: user}
        if self.imported:
            block[self.imported] = "S" if user == WEBSERVICE else "N"
        return block

    def altered(self, block: dict | None, user: str = WEBSERVICE,
                at: datetime | None = None) -> dict:
        d, h = stamp(at)
        return {**(block or self.new(user, at)), self.d_alt: d, self.h_alt: h, self.u_alt: user}


INFO = Stamps("info", "dInc", "hInc", "uInc", "dAlt", "hAlt", "uAlt")
INFO_CADASTRO = Stamps("infoCadastro", "dInc", "hInc", "uInc", "dAlt", "hAlt", "uAlt")
SNAKE_INFO = Stamps("info", "data_inc", "hora_inc", "user_inc", "data_alt", "hora_alt", "user_alt",
                    imported=None)


def info_new() -> dict:
    """The read-only info block of a record created through the API."""
    return INFO.new()


def info_altered(info: dict | None) -> dict:
    return INFO.altered(info)


def as_int(value: Any) -> int | None:
    try:
        return int(value) if filled(value) else None
    except (TypeError, ValueError):
        return None


def page(items: list[dict], param: dict, array: str) -> dict:
    """Omie's pagination (omie-api.md §3.8): 1-based (0 read as 1), an empty page is the
    Client-5113 fault, never an empty list."""
    pagina = max(as_int(param.get("pagina")) or 1, 1)
    per = as_int(param.get("registros_por_pagina")) or PAGE_DEFAULT
    per = min(max(per, 1), PAGE_CAP)
    chunk = items[(pagina - 1) * per: pagina * per]
    if not chunk:
        raise p.empty_page(pagina)
    return {"pagina": pagina, "total_de_paginas": math.ceil(len(items) / per),
            "registros": len(chunk), "total_de_registros": len(items), array: chunk}


def yes(param: dict, name: str) -> bool:
    return str(param.get(name, "")).upper() == "S"
