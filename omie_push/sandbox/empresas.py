"""/api/v1/geral/empresas/: ListarEmpresas, which company an app key belongs to (omie-api.md §8).

Each sandbox company (one app key) is one Omie company; its razão social and CNPJ are made up
from the key, so two keys are two companies a client can tell apart.
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


def empresa(company: Company) -> dict:
    """The company's empresas_cadastro record."""
    stored = company.get("empresa", "1")
    if stored is not None:
        return stored
    key = company.app_key
    return {"codigo_empresa": 1, "razao_social": f"Empresa Sandbox {key} Ltda",
            "nome_fantasia": f"Sandbox {key}", "cnpj": cnpj_of(key), "inativa": "N"}


def listar(company: Company, param: dict) -> dict:
    return page([empresa(company)], param, "empresas_cadastro")


CALLS = calls(Call("ListarEmpresas", LISTAR, listar))
