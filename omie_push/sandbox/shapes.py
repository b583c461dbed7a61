"""How Omie shapes a record in its answers (omie-api.md §9, recorded answers).

- `listed`: a record of a Listar* page carries only the fields ever set; a field stored empty
  comes back as `""`; some unset objects come back as `{}` (clientes' `enderecoEntrega` and
  `recomendacoes`); keys in ASCII order.
- `consulted`: a Consultar* answer lists every field of the type, `""` for an empty text and `0`
  for an empty number [I], `{}`/`[]` for an unset object/list, in declaration order; fields the
  type does not list (info, id_origem, ...) follow as stored.
"""
from __future__ import annotations

from typing import Any, Iterable

from .rules import Struct

NUMBERS = ("Integer", "Decimal")


def listed(record: dict, empty_objects: Iterable[str] = ()) -> dict:
    out = dict(record)
    for name in empty_objects:
        if not isinstance(out.get(name), dict):
            out[name] = {}
    return dict(sorted(out.items()))


def consulted(record: Any, s: Struct) -> Any:
    if not isinstance(record, dict) or s.open:
        return record if record is not None else {}
    out = {}
    for name, tag in s.tags.items():
        value = record.get(name)
        if tag.type == "Array":
            items = value if isinstance(value, list) else []
            out[name] = [consulted(v, tag.struct) if isinstance(v, dict) and tag.struct else v
                         for v in items]
        elif tag.type == "Object":
            out[name] = consulted(value if isinstance(value, dict) else {}, tag.struct) \
                if tag.struct else (value if isinstance(value, dict) else {})
        elif value is None or value == "":
            out[name] = empty(tag.type)
        else:
            out[name] = value
    for name, value in record.items():
        if name not in out:
            out[name] = value
    return out


def empty(kind: str) -> Any:
    if kind in NUMBERS:
        return 0
    if kind == "Boolean":
        return False
    return ""
