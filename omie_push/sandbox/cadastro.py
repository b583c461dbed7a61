"""What projetos and vendedores share: records keyed by `codigo` (Omie id) or `codInt`, answered
with `{codigo, codInt, status, descricao}` and listed in an array named `cadastro` (§3.4-3.5)."""
from __future__ import annotations

from dataclasses import dataclass

from . import protocol as p
from . import rules
from .rules import Struct, filled
from .service import as_int, date_window, page, stamp
from .state import Company


@dataclass(frozen=True)
class Kind:
    kind: str           # state kind
    what: str           # Omie's noun in faults: Projeto, Vendedor
    record: Struct
    required: tuple[str, ...]


def info_new() -> dict:
    """Projetos and vendedores carry info in snake case (omie-api.md §3.4)."""
    d, h = stamp()
    return {"data_inc": d, "hora_inc": h, "user_inc": "WEBSERVICE",
            "data_alt": d, "hora_alt": h, "user_alt": "WEBSERVICE"}


def find(company: Company, k: Kind, name: str, value) -> dict:
    if name == "codigo":
        found = company.get(k.kind, as_int(value))
        if found is None:
            raise p.not_found(k.what, value)
        return found
    found = company.by_code(k.kind, str(value))
    if found is None:
        raise p.not_found_integration(k.what, value)
    return found


def upsert(company: Company, k: Kind, param: dict) -> dict:
    rec = rules.check_values(param, k.record)
    rules.key_of(rec, "codInt", "codigo")
    existing = None
    if filled(rec.get("codigo")):
        existing = find(company, k, "codigo", rec["codigo"])
    elif filled(rec.get("codInt")):
        existing = company.by_code(k.kind, str(rec["codInt"]))
    if existing is None:
        rules.check_required(rec, k.required)
        record = {"codigo": company.new_id(), "inativo": "N",
                  **{key: v for key, v in rec.items() if filled(v)}, "info": info_new()}
        descricao = f"{k.what} cadastrado com sucesso!"
    else:
        for tag in k.required:
            if tag in rec and not filled(rec[tag]):
                raise p.required(tag)
        record = rules.merge(existing, rec)
        record["codigo"] = existing["codigo"]
        d, h = stamp()
        record["info"] = {**existing.get("info", {}), "data_alt": d, "hora_alt": h}
        descricao = f"{k.what} alterado com sucesso!"
    company.put(k.kind, record["codigo"], record, code=record.get("codInt"))
    return {"codigo": record["codigo"], "codInt": record.get("codInt", ""), "status": "0",
            "descricao": descricao}


def consultar(company: Company, k: Kind, param: dict) -> dict:
    name, value = rules.key_of(param, "codigo", "codInt")
    return rules.omit_empty(find(company, k, name, value))


def listar(company: Company, k: Kind, param: dict, contains: dict[str, str]) -> dict:
    """`contains`: filter tag -> record tag matched case-insensitively as a substring."""
    records = date_window(company.all(k.kind), param, "data_inc", "data_alt")
    for filtro, tag in contains.items():
        if filled(param.get(filtro)):
            wanted = str(param[filtro]).lower()
            records = [r for r in records if wanted in str(r.get(tag, "")).lower()]
    return page([rules.with_defaults(r, k.record) for r in records], param, "cadastro")

