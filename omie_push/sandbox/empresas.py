"""/api/v1/geral/empresas/: ListarEmpresas, which company an app key belongs to (omie-api.md §8).

Each sandbox company (one app key) is one Omie company. Its razão social, nome fantasia and CNPJ
are what it was given (`sandbox serve --company-name/--company-cnpj`, an account spec, a fixture
set such as the demo's); a company given none gets a name and a valid CNPJ made up from its key,
so two keys are two companies a client can tell apart.
"""
from __future__ import annotations

import zlib

from .rules import struct
from .service import Call, calls, page
from .state import Company

LISTAR = struct("empresas_list_request", "pagina", "registros_por_pagina", "apenas_importado_api")
CNPJ_WEIGHTS = ((5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2))


def cnpj_of(app_key: str) -> str:
    """A valid CNPJ (check digits right) made from the key, formatted as Omie answers it."""
    digits = [int(c) for c in f"{zlib.crc32(app_key.encode()) % 10**8:08d}0001"]
    for weights in CNPJ_WEIGHTS:
        rest = sum(d * w for d, w in zip(digits, weights)) % 11
        digits.append(0 if rest < 2 else 11 - rest)
    s = "".join(map(str, digits))
    return f"{s[:2]}.{s[2:5]}.{s[5:8]}/{s[8:12]}-{s[12:]}"


def made_up(app_key: str) -> dict:
    return {"codigo_empresa": 1, "razao_social": f"Empresa Sandbox {app_key} Ltda",
            "nome_fantasia": f"Sandbox {app_key}", "cnpj": cnpj_of(app_key), "inativa": "N"}


def empresa(company: Company) -> dict:
    """The company's empresas_cadastro record."""
    return company.get("empresa", "1") or made_up(company.app_key)


def set_empresa(company: Company, razao_social: str | None = None, cnpj: str | None = None,
                nome_fantasia: str | None = None) -> None:
    """Name the company (fields not given keep their value). `cnpj` formatted and valid."""
    record = empresa(company)
    if razao_social:
        record["razao_social"] = razao_social
        if not nome_fantasia and record["nome_fantasia"] == made_up(company.app_key)["nome_fantasia"]:
            record["nome_fantasia"] = razao_social
    if nome_fantasia:
        record["nome_fantasia"] = nome_fantasia
    if cnpj:
        record["cnpj"] = cnpj
    company.put("empresa", "1", record)


def listar(company: Company, param: dict) -> dict:
    return page([empresa(company)], param, "empresas_cadastro")


CALLS = calls(Call("ListarEmpresas", LISTAR, listar))
