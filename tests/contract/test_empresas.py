"""ListarEmpresas (geral/empresas/): which Omie company an app key belongs to (omie-api.md §8)."""
from __future__ import annotations

import pytest
from validate_docbr import CNPJ

PATH = "geral/empresas/"


@pytest.mark.real_omie
def test_listar_empresas_names_the_company_of_the_key(omie):
    page = omie.ok(PATH, "ListarEmpresas", {"pagina": 1, "registros_por_pagina": 50})
    assert page["pagina"] == 1 and page["registros"] >= 1
    first = page["empresas_cadastro"][0]
    assert first["razao_social"] and CNPJ().validate(first["cnpj"])


def test_two_keys_are_two_companies(omie):
    mine = omie.ok(PATH, "ListarEmpresas", {"pagina": 1})["empresas_cadastro"][0]
    other = omie.ok(PATH, "ListarEmpresas", {"pagina": 1}, app_key="other-key",
                    app_secret="other-secret")["empresas_cadastro"][0]
    assert mine["cnpj"] != other["cnpj"] and mine["razao_social"] != other["razao_social"]


def test_a_wrong_secret_is_refused(omie):
    body = omie.fault(PATH, "ListarEmpresas", {"pagina": 1}, status=403, app_secret="wrong")
    assert body["faultstring"] == "A chave de acesso está inválida ou o aplicativo está suspenso."
