"""Omie's pagination (omie-api.md §3.8): 1-based pages, totals, the empty page as a fault."""
from __future__ import annotations

import pytest

CATEGORIAS = "geral/categorias/"


@pytest.mark.real_omie
def test_pages_and_totals(omie):
    first = omie.ok(CATEGORIAS, "ListarCategorias", {"pagina": 1, "registros_por_pagina": 2})
    total = first["total_de_registros"]
    assert first["total_de_paginas"] == -(-total // 2) and first["registros"] == 2
    second = omie.ok(CATEGORIAS, "ListarCategorias", {"pagina": 2, "registros_por_pagina": 2})
    assert second["pagina"] == 2
    assert second["categoria_cadastro"][0]["codigo"] != first["categoria_cadastro"][0]["codigo"]


@pytest.mark.real_omie
def test_a_page_past_the_end_is_client_5113(omie):
    body = omie.fault(CATEGORIAS, "ListarCategorias", {"pagina": 9999, "registros_por_pagina": 3})
    assert body == {"faultstring": "ERROR: Não existem registros para a página [9999]!",
                    "faultcode": "SOAP-ENV:Client-5113"}


def test_a_filter_matching_nothing_is_client_5113_not_an_empty_list(omie, uid):
    body = omie.fault("geral/clientes/", "ListarClientes", {"clientesFiltro": {"codigo_cliente_integracao": uid}})
    assert body["faultcode"] == "SOAP-ENV:Client-5113"


def test_page_zero_is_read_as_one(omie):
    zero = omie.ok(CATEGORIAS, "ListarCategorias", {"pagina": 0, "registros_por_pagina": 4})
    assert zero["pagina"] == 1 and zero["registros"] == 4
