"""The filters Listar* calls share: by inclusion and alteration moment, API imports, ordering.

omie-api.md §8: ListarClientes, ListarContasReceber and ListarContasPagar take
`filtrar_por_data_de/ate` (dd/mm/aaaa), `filtrar_por_hora_de/ate` (hh:mm:ss),
`filtrar_apenas_inclusao` and `filtrar_apenas_alteracao` ("S"/"N") and `apenas_importado_api`;
the date filters read the record's inclusion or alteration stamps as the two flags say. How
Omie combines them is not published; the sandbox's reading (docs/sandbox.md, [S]):

- the window runs from `data_de` + `hora_de` (00:00:00 when absent) to `data_ate` + `hora_ate`
  (23:59:59 when absent); `_ate` without `_de` starts today (§3.8 [1]); hours without dates
  are hours of today;
- `filtrar_apenas_inclusao` = S: records included in the window; `filtrar_apenas_alteracao` = S:
  records altered after their inclusion, the alteration in the window; neither (or both): records
  included or altered in the window.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, Callable

from . import protocol as p
from .rules import YES_NO, filled, parse_date
from .service import Stamps, yes

TIME_RE = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2}))?$")
TIME_FILTERS = ("filtrar_por_data_de", "filtrar_por_data_ate", "filtrar_por_hora_de",
                "filtrar_por_hora_ate")
FLAGS = ("filtrar_apenas_inclusao", "filtrar_apenas_alteracao", "apenas_importado_api")


def parse_time(tag: str, text: Any) -> time:
    m = TIME_RE.match(str(text))
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59 or int(m.group(3) or 0) > 59:
        raise p.bad_time(tag)
    return time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))


def moment(block: dict | None, d_key: str, h_key: str) -> datetime | None:
    """When a stamp of the info block says (None when the record has none)."""
    block = block or {}
    if not block.get(d_key):
        return None
    day = parse_date(d_key, block[d_key])
    hour = parse_time(h_key, block[h_key]) if block.get(h_key) else time(0, 0)
    return datetime.combine(day, hour)


def window(param: dict) -> tuple[datetime, datetime] | None:
    """The window the time filters ask for, or None when they ask for none."""
    given = {k: param.get(k) for k in TIME_FILTERS if filled(param.get(k))}
    if not given:
        return None
    de, ate = given.get("filtrar_por_data_de"), given.get("filtrar_por_data_ate")
    start_day = parse_date("filtrar_por_data_de", str(de)) if de else date.today()
    end_day = parse_date("filtrar_por_data_ate", str(ate)) if ate else (date.max if de else date.today())
    start_hour = parse_time("filtrar_por_hora_de", given["filtrar_por_hora_de"]) \
        if "filtrar_por_hora_de" in given else time(0, 0, 0)
    end_hour = parse_time("filtrar_por_hora_ate", given["filtrar_por_hora_ate"]) \
        if "filtrar_por_hora_ate" in given else time(23, 59, 59)
    return datetime.combine(start_day, start_hour), datetime.combine(end_day, end_hour)


def check_flags(param: dict) -> None:
    for flag in FLAGS:
        if filled(param.get(flag)) and str(param[flag]).upper() not in YES_NO:
            raise p.invalid_value(flag, YES_NO)


def by_time(records: list[dict], param: dict, stamps: Stamps) -> list[dict]:
    """The records the time filters and `apenas_importado_api` select."""
    check_flags(param)
    if yes(param, "apenas_importado_api"):
        records = [r for r in records if imported(r, stamps)]
    bounds = window(param)
    if bounds is None:
        return records
    start, end = bounds
    only_inc = yes(param, "filtrar_apenas_inclusao")
    only_alt = yes(param, "filtrar_apenas_alteracao")
    if only_inc and only_alt:
        only_inc = only_alt = False

    def chosen(record: dict) -> bool:
        block = record.get(stamps.block)
        inc = moment(block, stamps.d_inc, stamps.h_inc)
        alt = moment(block, stamps.d_alt, stamps.h_alt)
        included = inc is not None and start <= inc <= end
        altered = alt is not None and alt != inc and start <= alt <= end
        if only_inc:
            return included
        if only_alt:
            return altered
        return included or (alt is not None and start <= alt <= end)
    return [r for r in records if chosen(r)]


def imported(record: dict, stamps: Stamps) -> bool:
    """Written through the API: cImpAPI "S" (or importado_api "S" where there is no cImpAPI)."""
    block = record.get(stamps.block) or {}
    if stamps.imported and stamps.imported in block:
        return block[stamps.imported] == "S"
    return record.get("importado_api", "S" if block.get(stamps.u_inc) == "WEBSERVICE" else "N") == "S"


def ordered(records: list[dict], param: dict, orders: dict[str, Callable[[dict], Any]],
            descending_tags: tuple[str, ...] = ("ordem_descrescente", "ordem_decrescente")) -> list[dict]:
    """`ordenar_por` (one of `orders`, whose functions give each record's sort key) and the
    descending flag (Omie spells it `ordem_descrescente`, sic). An unknown order is refused
    with Omie's invalid-value fault [S]."""
    wanted = str(param.get("ordenar_por") or "").upper()
    if not wanted:
        return records
    if wanted not in orders:
        raise p.invalid_value("ordenar_por", tuple(orders))
    descending = any(yes(param, t) for t in descending_tags)
    return sorted(records, key=orders[wanted], reverse=descending)


def stamp_order(stamps: Stamps, inclusion: bool) -> Callable[[dict], Any]:
    """Sort key on the inclusion or alteration moment (records without stamps first)."""
    keys = (stamps.d_inc, stamps.h_inc) if inclusion else (stamps.d_alt, stamps.h_alt)

    def key(record: dict):
        return moment(record.get(stamps.block), *keys) or datetime.min
    return key


def date_order(tag: str) -> Callable[[dict], Any]:
    def key(record: dict):
        return parse_date(tag, record[tag]) if record.get(tag) else date.min
    return key


def text_order(tag: str) -> Callable[[dict], Any]:
    def key(record: dict):
        value = record.get(tag)
        return (0, value, "") if isinstance(value, (int, float)) else (1, 0, str(value or ""))
    return key
