"""Does Omie still hold what omie-push sent? A field-by-field comparison after normalising.

Omie answers a record in its own shapes (omie-api.md §9): a CNPJ formatted
("11.222.333/0001-81") where we sent digits, dates as dd/mm/aaaa where the warehouse had a
date, money as a JSON number without trailing zeros ("150" for "150.00"), and a field it holds
nothing in as absent (Listar*), `""` or `0` (Consultar*) or `{}`. Only the fields omie-push
sends are compared (the paths of the payload); a field only Omie fills is none of ours.

    differences(endpoint, sent, current) -> [FieldDifference(field, ours, omie)]

Used by the drift check (push/drift.py) and the live dry run (push/live.py).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..catalog import Endpoint

BLANK = None
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
BR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DOCUMENT = re.compile(r"^[\d.\-/ ]+$")            # digits with CNPJ/CPF/CEP punctuation
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
DOCUMENT_FIELDS = ("cnpj", "cpf", "cep")


@dataclass(frozen=True)
class FieldDifference:
    """One field omie-push sends whose value Omie no longer holds."""

    field: str          # dotted path in the payload: `endereco`, `cabecalho.dVencimento`
    ours: Any           # what omie-push sent (as in the payload)
    omie: Any           # what Omie holds now (as Omie answers it)

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "ours": self.ours, "omie": self.omie}


def flatten(value: Any, prefix: str = "", empty_objects: bool = True) -> dict[str, Any]:
    """A payload as dotted paths; list items by position (`itensContrato[0].itemCabecalho.quant`).
    `empty_objects`: an empty object is a value of its own (drift compares it); without, it
    has no path (the preview's field-by-field diff)."""
    if isinstance(value, dict) and (value or not empty_objects):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(flatten(inner, f"{prefix}.{key}" if prefix else str(key), empty_objects))
        return out
    if isinstance(value, list) and value:
        out = {}
        for i, inner in enumerate(value):
            out.update(flatten(inner, f"{prefix}[{i}]", empty_objects))
        return out
    return {prefix: value}


def leaf(path: str) -> str:
    """The field name of a path: `itensContrato[0].itemCabecalho.quant` -> `quant`."""
    return re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])


def _kind(endpoint: Endpoint | None, path: str) -> tuple[str | None, bool]:
    """(catalog type, is a date) of the field a path ends in; (None, False) when unknown."""
    if endpoint is None:
        return None, False
    name = leaf(path)
    for f in endpoint.fields:
        if f.name == name:
            return f.type, f.is_date
    return None, False


def normalise(value: Any, kind: str | None = None, is_date: bool = False, name: str = "") -> Any:
    """One value in a form both sides share: BLANK (None) for nothing, dd/mm/aaaa for dates,
    Decimal for numbers, digits for CNPJ/CPF/CEP, stripped text otherwise."""
    if value is None or value == {} or value == [] or (isinstance(value, str) and not value.strip()):
        return BLANK
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "S" if value else "N"
    if isinstance(value, (int, float, Decimal)):
        return _decimal(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    text = str(value).strip()
    if is_date or ISO_DATE.match(text) or BR_DATE.match(text):
        as_date = _date(text)
        if as_date is not None:
            return as_date
    if kind in ("Integer", "Decimal") and NUMBER.match(text):
        return _decimal(text.replace(",", ".") if "." not in text else text)
    lowered = name.lower()
    if DOCUMENT.match(text) and (any(d in lowered for d in DOCUMENT_FIELDS)
                                 or (sum(c.isdigit() for c in text) >= 8 and not text.isdigit())):
        return "".join(c for c in text if c.isdigit())
    return text


def _decimal(value: Any) -> Any:
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return d.normalize() if d != 0 else Decimal(0)


def _date(text: str) -> str | None:
    m = ISO_DATE.match(text)
    if m:
        return f"{m.group(3)}/{m.group(2)}/{m.group(1)}"
    m = BR_DATE.match(text)
    if m:
        return f"{int(m.group(1)):02d}/{int(m.group(2)):02d}/{m.group(3)}"
    return None


def same(ours: Any, omie: Any, kind: str | None = None, is_date: bool = False,
         name: str = "") -> bool:
    """Whether two values of one field are the same once normalised. Consultar* answers an
    empty number as 0 (omie-api.md §9), so a number field left blank on one side equals 0."""
    a, b = normalise(ours, kind, is_date, name), normalise(omie, kind, is_date, name)
    if a == b:
        return True
    if kind in ("Integer", "Decimal") and {a, b} <= {BLANK, Decimal(0)}:
        return True
    if isinstance(a, Decimal) and isinstance(b, str) or isinstance(b, Decimal) and isinstance(a, str):
        return str(a) == str(b)
    return False


def record_body(endpoint: Endpoint, record: dict[str, Any]) -> dict[str, Any]:
    """The record itself: Consultar of a contract answers it under `contratoCadastro`."""
    inner = record.get("contratoCadastro") if isinstance(record, dict) else None
    if isinstance(inner, dict):
        return inner
    if isinstance(inner, list) and inner and isinstance(inner[0], dict):
        return inner[0]
    return record if isinstance(record, dict) else {}


def differences(endpoint: Endpoint, sent: dict[str, Any], current: dict[str, Any],
                ignore: tuple[str, ...] = ()) -> list[FieldDifference]:
    """The fields of `sent` (what omie-push sends) whose value `current` (Omie's record, as
    a Listar* page or a Consultar* answers it) does not hold, after normalising."""
    held = flatten(record_body(endpoint, current))
    out = []
    for path, ours in flatten(sent).items():
        if not path or leaf(path) in ignore:
            continue
        omie = held.get(path)
        kind, is_date = _kind(endpoint, path)
        if not same(ours, omie, kind, is_date, leaf(path)):
            out.append(FieldDifference(path, ours, omie))
    return out


def shown(value: Any) -> str | None:
    """A value as text for the drift table and the terminal (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)
