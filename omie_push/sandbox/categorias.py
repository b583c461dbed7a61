"""/api/v1/geral/categorias/ (omie-api.md §3.6).

IncluirCategoria has no idempotency key: each call takes the next free code of its group
(`<superior>.NN`, always after the last one, inactive categories counted) and nothing checks
the description, so a careless re-run really creates duplicates, until the group holds 99.
"""
from __future__ import annotations

from ..catalog import CATEGORIAS
from . import company as seed
from . import protocol as p
from . import rules
from .rules import filled, struct
from .service import Call, calls, page, yes
from .state import Company

INCLUIR = rules.from_catalog(CATEGORIAS, "categoria_incluir")
CONSULTAR = struct("categoria_consultar", "codigo")
LISTAR = struct("categoria_list_request", "pagina", "registros_por_pagina", "filtrar_apenas_ativo",
                "filtrar_por_tipo")
GROUP_MAX = 99


def incluir(company: Company, param: dict) -> dict:
    rec = rules.check_values(param, INCLUIR)
    rules.check_required(rec, ["categoria_superior", "descricao"])
    superior = str(rec["categoria_superior"])
    group = company.get("categoria", superior)
    if group is None or group.get("totalizadora") != "S":
        raise p.missing_reference("Código da categoria superior", "categoria_superior", superior)
    used = [int(c.rsplit(".", 1)[1]) for c in company.ids("categoria")
            if c.startswith(superior + ".") and c.count(".") == superior.count(".") + 1]
    last = max(used, default=0)
    if last >= GROUP_MAX:
        raise p.group_full(superior)
    code = f"{superior}.{last + 1:02d}"
    record = seed.category(code, str(rec["descricao"]), totalizadora=False)
    record.update({"definida_pelo_usuario": "S", "natureza": rec.get("natureza", ""),
                   "codigo_dre": rec.get("codigo_dre", "")})
    if filled(rec.get("tipo_categoria")):
        record["tipo_categoria"] = rec["tipo_categoria"]
    company.put("categoria", code, record)
    return {"codigo_status": "0", "descricao_status": "Categoria cadastrada com sucesso!",
            "codigo": code}


def consultar(company: Company, param: dict) -> dict:
    rules.check_required(param, ["codigo"])
    found = company.get("categoria", str(param["codigo"]))
    if found is None:
        raise p.not_found("Categoria", param["codigo"], "cadastrada")
    return found


def listar(company: Company, param: dict) -> dict:
    records = company.all("categoria")
    records.sort(key=lambda r: [int(x) for x in r["codigo"].split(".")])
    if yes(param, "filtrar_apenas_ativo"):
        records = [r for r in records if r.get("conta_inativa") != "S"]
    tipo = str(param.get("filtrar_por_tipo", "")).upper()
    if tipo in ("R", "D"):
        records = [r for r in records if r["codigo"].startswith("1" if tipo == "R" else "2")]
    return page(records, param, "categoria_cadastro")


CALLS = calls(
    Call("IncluirCategoria", INCLUIR, incluir),
    Call("ConsultarCategoria", CONSULTAR, consultar),
    Call("ListarCategorias", LISTAR, listar),
)
