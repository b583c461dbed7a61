"""What the service modules share: a call's definition, timestamps and Omie's pagination."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
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


def stamp() -> tuple[str, str]:
    now = datetime.now()
    return now.strftime("%d/%m/%Y"), now.strftime("%H:%M:%S")


def info_new() -> dict:
    """The read-only info block of a record created through the API."""
    d, h = stamp()
    return {"dInc": d, "hInc": h, "uInc": "WEBSERVICE", "dAlt": d, "hAlt": h,
            "uAlt": "WEBSERVICE", "cImpAPI": "S"}


def info_altered(info: dict | None) -> dict:
    d, h = stamp()
    return {**(info or info_new()), "dAlt": d, "hAlt": h, "uAlt": "WEBSERVICE"}


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


def date_window(records: list[dict], param: dict, inc: str, alt: str, info: str = "info") -> list[dict]:
    """filtrar_por_data_de/ate on the record's inclusion or alteration date (dd/mm/aaaa);
    with filtrar_apenas_inclusao = S only the inclusion date counts. `_ate` without `_de` reads
    as "from today" (omie-api.md §3.8 [1])."""
    from .rules import parse_date

    de, ate = param.get("filtrar_por_data_de"), param.get("filtrar_por_data_ate")
    if not filled(de) and not filled(ate):
        return records
    start = parse_date("filtrar_por_data_de", str(de)) if filled(de) else date.today()
    end = parse_date("filtrar_por_data_ate", str(ate)) if filled(ate) else date.max
    key = inc if yes(param, "filtrar_apenas_inclusao") else alt

    def when(r):
        stamp = (r.get(info) or {}).get(key)
        return parse_date(key, stamp) if stamp else None
    return [r for r in records if when(r) and start <= when(r) <= end]


def yes(param: dict, name: str) -> bool:
    return str(param.get(name, "")).upper() == "S"
