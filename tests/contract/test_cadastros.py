"""Projetos, vendedores and categorias (omie-api.md §3.4-3.6)."""
from __future__ import annotations

import pytest

PROJETOS, VENDEDORES, CATEGORIAS = "geral/projetos/", "geral/vendedores/", "geral/categorias/"


def test_upsert_projeto_answers_codigo_codint_status_descricao(omie, uid):
    answer = omie.ok(PROJETOS, "UpsertProjeto", {"codInt": uid, "nome": "Obra Norte"})
    assert set(answer) == {"codigo", "codInt", "status", "descricao"} and answer["status"] == "0"
    again = omie.ok(PROJETOS, "UpsertProjeto", {"codInt": uid, "nome": "Obra Sul"})
    assert again["codigo"] == answer["codigo"]
    got = omie.ok(PROJETOS, "ConsultarProjeto", {"codigo": answer["codigo"]})
    assert got["nome"] == "Obra Sul" and got["codInt"] == uid and "info" in got


def test_projeto_nome_is_required_and_limited(omie, uid):
    assert "[nome]" in omie.fault(PROJETOS, "UpsertProjeto", {"codInt": uid})["faultstring"]
    assert "[nome]" in omie.fault(PROJETOS, "UpsertProjeto", {"codInt": uid, "nome": "n" * 71})["faultstring"]


def test_listar_projetos_uses_the_cadastro_array(omie, uid):
    omie.ok(PROJETOS, "UpsertProjeto", {"codInt": uid, "nome": f"Busca {uid}"})
    listed = omie.ok(PROJETOS, "ListarProjetos", {"nome_projeto": uid})
    assert [r["codInt"] for r in listed["cadastro"]] == [uid]


def test_upsert_vendedor_and_list(omie, uid):
    answer = omie.ok(VENDEDORES, "UpsertVendedor", {"codInt": uid, "nome": f"Vera {uid}",
                                                    "email": "vera@example.com", "comissao": 2.5})
    assert answer["status"] == "0" and answer["codInt"] == uid
    omie.fault(VENDEDORES, "UpsertVendedor", {"codInt": uid, "fatura_pedido": "X"})
    listed = omie.ok(VENDEDORES, "ListarVendedores", {"filtrar_por_nome": uid})
    [record] = listed["cadastro"]
    assert record["comissao"] == 2.5 and "fatura_pedido" not in record   # never set: left out (§9)
    got = omie.ok(VENDEDORES, "ConsultarVendedor", {"codInt": uid})
    assert got["fatura_pedido"] == "" and got["comissao"] == 2.5          # Consultar: every field


def test_consultar_vendedor_unknown_code(omie, uid):
    body = omie.fault(VENDEDORES, "ConsultarVendedor", {"codInt": uid})
    assert body["faultstring"] == f"ERROR: Vendedor não cadastrado para o Código de Integração [{uid}]!"


@pytest.mark.real_omie
def test_listar_categorias_shape(omie):
    page = omie.ok(CATEGORIAS, "ListarCategorias", {"pagina": 1, "registros_por_pagina": 7})
    assert page["pagina"] == 1 and page["registros"] == len(page["categoria_cadastro"]) <= 7
    assert {"codigo", "descricao", "totalizadora", "categoria_superior"} <= set(page["categoria_cadastro"][0])


def test_new_company_starts_with_the_fixed_categories(omie):
    if omie.real:
        pytest.skip("the real company has its own categories")
    page = omie.ok(CATEGORIAS, "ListarCategorias", {"registros_por_pagina": 100},
                   app_key="other-key", app_secret="other-secret")
    codes = [c["codigo"] for c in page["categoria_cadastro"]]
    assert {"1.01", "1.02", "2.01", "2.02", "2.03", "1.01.01", "1.01.02", "1.02.01", "2.01.01",
            "2.02.01", "2.02.02", "2.02.03", "2.03.01"} <= set(codes)


def test_incluir_categoria_takes_the_next_code_and_allows_duplicates(omie, uid):
    first = omie.ok(CATEGORIAS, "IncluirCategoria", {"categoria_superior": "1.02", "descricao": "Juros " + uid})
    second = omie.ok(CATEGORIAS, "IncluirCategoria", {"categoria_superior": "1.02", "descricao": "Juros " + uid})
    assert first["codigo_status"] == "0" and first["codigo"].startswith("1.02.")
    assert int(second["codigo"].rsplit(".", 1)[1]) == int(first["codigo"].rsplit(".", 1)[1]) + 1
    got = omie.ok(CATEGORIAS, "ConsultarCategoria", {"codigo": second["codigo"]})
    assert got["descricao"] == "Juros " + uid and got["categoria_superior"] == "1.02"


def test_incluir_categoria_needs_an_existing_group(omie, uid):
    body = omie.fault(CATEGORIAS, "IncluirCategoria", {"categoria_superior": "2.77", "descricao": uid})
    assert "[2.77]" in body["faultstring"]


def test_a_full_group_is_refused(omie, uid):
    if omie.real:
        pytest.skip("would fill a group of the real company")
    key = {"app_key": "full-group-key", "app_secret": "full-group-secret"}
    codes = [omie.ok(CATEGORIAS, "IncluirCategoria", {"categoria_superior": "2.03", "descricao": f"C{i}"},
                     **key)["codigo"] for i in range(98)]
    assert codes[0] == "2.03.02" and codes[-1] == "2.03.99"
    body = omie.fault(CATEGORIAS, "IncluirCategoria", {"categoria_superior": "2.03", "descricao": "cheia"}, **key)
    assert "[2.03]" in body["faultstring"]
