"""A FROZEN copy of the row-by-row payload builder as it was when the columnar builder was
written (omie_push/push/payload.py at main 2508190, build + convert + the canonical JSON of
diff.payload_hash): the oracle tests/push/test_columnar_payload.py compares both paths with.
It must not import omie_push.push.payload, so that a later change there shows up as a failing
`test_payload_build_still_equals_the_oracle` instead of moving the oracle along with it.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from omie_push.catalog import Endpoint, Field

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
BR_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def canonical(param: dict[str, Any]) -> str:
    """diff.payload_hash's text: sorted keys, no spaces, UTF-8 kept, str() of the rest."""
    return json.dumps(param, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_of(endpoint: Endpoint, row: dict[str, Any],
            children: dict[str, list[dict[str, Any]]] | None = None) -> str:
    """The canonical JSON text of the row's param object (raises PayloadError as build does)."""
    return canonical(build(endpoint, row, children))


class PayloadError(ValueError):
    """A value that cannot become what Omie expects; the row is rejected with this reason."""

    def __init__(self, field: str, value: Any, message: str):
        super().__init__(message)
        self.field, self.value = field, value


def build(endpoint: Endpoint, row: dict[str, Any],
          children: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """The param object for one row (for contratos: the header row and its child rows)."""
    if endpoint.kind == "delete":
        return key_object(endpoint, row)
    if endpoint.name == "contratos":
        return contrato(endpoint, row, children or {})
    return flat(endpoint, row)


def flat(endpoint: Endpoint, row: dict[str, Any]) -> dict[str, Any]:
    param: dict[str, Any] = {}
    for name, value in row.items():
        f = endpoint.field(name)
        if f.read_only:
            continue
        converted = convert(f, value)
        if converted is not None:
            param[name] = converted
    return param


def key_object(endpoint: Endpoint, row: dict[str, Any]) -> dict[str, Any]:
    """Excluir: one key of the record; the integration code when both are filled."""
    integration = row.get(endpoint.integration_key) if endpoint.integration_key else None
    if integration not in (None, ""):
        return {endpoint.integration_key: convert(endpoint.field(endpoint.integration_key), integration)}
    for name in endpoint.key_fields:
        if row.get(name) not in (None, ""):
            return {name: convert(endpoint.field(name), row[name])}
    raise PayloadError(endpoint.key_fields[0], None,
                       f"one of {', '.join(endpoint.key_fields)} must be filled to delete")


def contrato(endpoint: Endpoint, header: dict[str, Any],
             children: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """UpsertContrato's nested object from the header row and its item/department rows."""
    param: dict[str, Any] = {}
    for name, value in header.items():
        _place(param, endpoint.field(name), value)
    items = sorted(children.get("omie_contratos_itens", []), key=lambda r: (r.get("seq") is None, r.get("seq") or 0))
    built_items = []
    for item in items:
        nested: dict[str, Any] = {}
        for name, value in item.items():
            f = endpoint.field(name)
            if name == "cCodIntCtr" or f.read_only:
                continue
            converted = convert(f, value)
            if converted is not None:
                nested.setdefault(f.section.split(".", 1)[1], {})[name] = converted
        built_items.append(nested)
    if built_items:
        param["itensContrato"] = built_items
    departments = []
    for dep in children.get("omie_contratos_departamentos", []):
        obj = {n: convert(endpoint.field(n), v) for n, v in dep.items() if n != "cCodIntCtr"}
        obj = {n: v for n, v in obj.items() if v is not None}
        if obj:
            departments.append(obj)
    if departments:
        param["departamentos"] = departments
    return param


def _place(param: dict[str, Any], f: Field, value: Any) -> None:
    if f.read_only:
        return
    converted = convert(f, value)
    if converted is None:
        return
    if f.section:
        param.setdefault(f.section, {})[f.name] = converted
    else:
        param[f.name] = converted


def convert(f: Field, value: Any) -> Any:
    """One value as Omie wants it for this field; None means 'leave the field out'."""
    if value is None:
        return None
    if f.type in ("Array", "Object"):
        return _structured(f, value)
    if f.is_date:
        return _date(f, value)
    if f.type == "Integer":
        return _integer(f, value)
    if f.type == "Decimal":
        return _number(f, value)
    return _text(f, value)


def _text(f: Field, value: Any) -> str:
    if isinstance(value, bool):
        return ("S" if value else "N") if f.allowed == ("S", "N") else str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _date(f: Field, value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    text = str(value).strip()
    match = ISO_DATE.match(text)
    if match:
        return f"{match.group(3)}/{match.group(2)}/{match.group(1)}"
    if BR_DATE.match(text):
        return text
    raise PayloadError(f.name, value, f"{f.name}: {value!r} is not a date (YYYY-MM-DD or a DATE column)")


def _integer(f: Field, value: Any) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError
        number = Decimal(str(value).strip())
        if number != number.to_integral_value():
            raise ValueError
        return int(number)
    except (ValueError, ArithmeticError):
        raise PayloadError(f.name, value, f"{f.name}: {value!r} is not a whole number") from None


def _number(f: Field, value: Any) -> int | float:
    """A JSON number that Omie reads as exactly the value of the view: a title's amount above
    zero, and no value with more digits than a double carries (12345678901234567.89 would
    arrive as 12345678901234568)."""
    if isinstance(value, bool):
        raise PayloadError(f.name, value, f"{f.name}: {value!r} is not a number")
    try:
        exact = Decimal(str(value).strip())
    except (ValueError, ArithmeticError):
        raise PayloadError(f.name, value, f"{f.name}: {value!r} is not a number") from None
    if not exact.is_finite():
        raise PayloadError(f.name, value, f"{f.name}: {value!r} is not a finite number")
    if f.positive and exact <= 0:
        raise PayloadError(f.name, value, f"{f.name}: {value} must be greater than zero")
    if isinstance(value, int):
        return value
    number = float(exact)
    if Decimal(repr(number)) != exact:
        raise PayloadError(f.name, value, f"{f.name}: {value} has more digits than a JSON number "
                           f"carries exactly; Omie would read {number!r}")
    return number


def _structured(f: Field, value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise PayloadError(f.name, value, f"{f.name}: not valid JSON ({exc.msg})") from None
    want = list if f.type == "Array" else dict
    if f.type == "Array" and isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, want):
        raise PayloadError(f.name, value, f"{f.name}: expected a JSON {'array' if want is list else 'object'}")
    cleaned = _clean(value)
    return None if cleaned == {} else cleaned


def _clean(value: Any) -> Any:
    """Nested nulls left out, nested dates as dd/mm/aaaa, nested decimals as numbers."""
    if isinstance(value, dict):
        out = {k: _clean(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in out.items() if v is not None and v != {}}
    if isinstance(value, (list, tuple)):
        return [c for c in (_clean(v) for v in value) if c is not None and c != {}]
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return float(value)
    return value
