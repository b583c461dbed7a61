"""What projetos and vendedores share: records keyed by `codigo` (Omie id) or `codInt`, answered
with `{codigo, codInt, status, descricao}` and listed in an array named `cadastro` (§3.4-3.5)."""
from __future__ import annotations

from dataclasses import dataclass

from . import filters
from . import protocol as p
from . import rules
from .rules import Struct, filled
from .service import SNAKE_INFO, as_int, page
from .shapes import consulted, listed
from .state import Company


@dataclass(frozen=True)
class Kind:
    kind: str           # state kind
    what: str           # Omie's noun in faults: Projeto, Vendedor
    record: Struct
    required: tuple[str, ...]


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
                  **{key: v for key, v in rec.items() if v is not None and (filled(v) or key != "inativo")},
                  "info": SNAKE_INFO.new()}
        descricao = f"{k.what} cadastrado com sucesso!"
    else:
        for tag in k.required:
            if tag in rec and not filled(rec[tag]):
                raise p.required(tag)
        record = rules.merge(existing, rec)
        record["codigo"] = existing["codigo"]
        record["info"] = SNAKE_INFO.altered(existing.get("info"))
        descricao = f"{k.what} alterado com sucesso!"
    company.put(k.kind, record["codigo"], record, code=record.get("codInt"))
    return {"codigo": record["codigo"], "codInt": record.get("codInt", ""), "status": "0",
            "descricao": descricao}


def consultar(company: Company, k: Kind, param: dict) -> dict:
    name, value = rules.key_of(param, "codigo", "codInt")
    return consulted(find(company, k, name, value), k.record)


def listar(company: Company, k: Kind, param: dict, contains: dict[str, str]) -> dict:
    """`contains`: filter tag -> record tag matched case-insensitively as a substring."""
    records = filters.by_time(company.all(k.kind), param, SNAKE_INFO)
    for filtro, tag in contains.items():
        if filled(param.get(filtro)):
            wanted = str(param[filtro]).lower()
            records = [r for r in records if wanted in str(r.get(tag, "")).lower()]
    orders = {"CODIGO": filters.text_order("codigo"), "CODIGO_INTEGRACAO": filters.text_order("codInt"),
              "NOME": filters.text_order("nome"),
              "DATA_INCLUSAO": filters.stamp_order(SNAKE_INFO, inclusion=True),
              "DATA_ALTERACAO": filters.stamp_order(SNAKE_INFO, inclusion=False)}
    records = filters.ordered(records, param, orders)
    return page([listed(r) for r in records], param, "cadastro")

