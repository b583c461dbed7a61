"""Records as Omie keeps them, and a person editing them in Omie's screens (issue 17, items 5-6):
the info block, the List filters by inclusion and alteration, ordering, the page cap."""
from __future__ import annotations

from datetime import date

import pytest

CLIENTES, RECEBER, PAGAR = "geral/clientes/", "financas/contareceber/", "financas/contapagar/"
INFO_KEYS = {"dInc", "hInc", "uInc", "dAlt", "hAlt", "uAlt", "cImpAPI"}


def codes(page: dict, array: str, tag: str) -> list:
    return [r.get(tag) for r in page.get(array, [])]


def listing(omie, path, call, array, tag, **param):
    """The codes a listing answers, [] for Omie's no-records fault."""
    r = omie.call(path, call, {"registros_por_pagina": 500, **param})
    if r.status_code == 500 and r.json()["faultcode"] == "SOAP-ENV:Client-5113":
        return []
    assert r.status_code == 200, r.text
    return codes(r.json(), array, tag)


def test_api_writes_are_stamped_webservice(omie, uid):
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Via API"})
    info = omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})["info"]
    assert set(info) == INFO_KEYS
    assert info["uInc"] == info["uAlt"] == "WEBSERVICE" and info["cImpAPI"] == "S"
    assert info["dInc"] == date.today().strftime("%d/%m/%Y") and len(info["hInc"]) == 8


def test_an_edit_in_omies_screens_is_stamped_with_the_users_code(omie, uid):
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Antes",
                                        "contato": "Ana"})
    omie.admin("edit", endpoint="clientes", code=uid, changes={"razao_social": "Depois", "contato": ""},
               user="P000568574", at="15/03/2031 10:30:00")
    got = omie.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
    assert got["razao_social"] == "Depois" and got["contato"] == ""
    info = got["info"]
    assert (info["uAlt"], info["dAlt"], info["hAlt"]) == ("P000568574", "15/03/2031", "10:30:00")
    assert info["uInc"] == "WEBSERVICE" and info["cImpAPI"] == "S"     # who created it is kept


def test_an_edit_is_checked_as_the_api_checks(omie, uid):
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Regras"})
    from omie_push.sandbox.testing import admin

    with pytest.raises(RuntimeError, match="ultrapassa o tamanho"):
        omie.admin("edit", endpoint="clientes", code=uid, changes={"razao_social": "R" * 61})
    with pytest.raises(RuntimeError, match="não faz parte da estrutura"):
        omie.admin("edit", endpoint="clientes", code=uid, changes={"apelido": "X"})
    with pytest.raises(RuntimeError, match="HTTP 403"):
        admin(omie.base_url, "edit", omie.app_key, "wrong", endpoint="clientes", code=uid,
              changes={"contato": "X"})


def test_time_filters_on_inclusion_and_alteration(omie, uid):
    """Typed in on 10/03/2031 09:00, edited on 15/03/2031 10:30; another typed in on 15/03 at 08:00."""
    fields = {"razao_social": "Filtro " + uid}
    old = omie.admin("create", endpoint="clientes", fields={**fields, "codigo_cliente_integracao": uid + "o"},
                     at="10/03/2031 09:00:00")["record"]
    omie.admin("edit", endpoint="clientes", omie_id=old["codigo_cliente_omie"], changes={"contato": "Rui"},
               at="15/03/2031 10:30:00")
    omie.admin("create", endpoint="clientes", fields={**fields, "codigo_cliente_integracao": uid + "n"},
               at="15/03/2031 08:00:00")

    def listed(**param):
        return sorted(listing(omie, CLIENTES, "ListarClientes", "clientes_cadastro",
                              "codigo_cliente_integracao", clientesFiltro={"razao_social": uid}, **param))
    day = {"filtrar_por_data_de": "15/03/2031", "filtrar_por_data_ate": "15/03/2031"}
    assert listed(**day) == [uid + "n", uid + "o"]                          # included or altered
    assert listed(**day, filtrar_apenas_inclusao="S") == [uid + "n"]
    assert listed(**day, filtrar_apenas_alteracao="S") == [uid + "o"]
    assert listed(**day, filtrar_por_hora_de="10:00:00") == [uid + "o"]
    assert listed(**day, filtrar_por_hora_ate="09:00:00") == [uid + "n"]
    assert listed(filtrar_por_data_de="10/03/2031", filtrar_por_data_ate="10/03/2031",
                  filtrar_apenas_inclusao="S") == [uid + "o"]
    assert listed(**day, apenas_importado_api="S") == []                    # typed in, not via the API
    body = omie.fault(CLIENTES, "ListarClientes", {**day, "filtrar_por_hora_de": "25:00:00"})
    assert body["faultstring"] == ("ERROR: A hora informada na tag [filtrar_por_hora_de] é inválida! "
                                   "Utilize o formato hh:mm:ss.")


@pytest.mark.parametrize("path,call,array,endpoint", [
    (RECEBER, "ListarContasReceber", "conta_receber_cadastro", "contas_receber"),
    (PAGAR, "ListarContasPagar", "conta_pagar_cadastro", "contas_pagar")])
def test_time_filters_and_api_imports_on_titulos(omie, uid, path, call, array, endpoint):
    client = omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": "t" + uid, "razao_social": "T"})
    conta = {"codigo_cliente_fornecedor": client["codigo_cliente_omie"], "data_vencimento": "10/12/2030",
             "valor_documento": 99.5, "codigo_categoria": "1.01.02" if path == RECEBER else "2.02.01"}
    omie.ok(path, call.replace("ListarContas", "UpsertConta"), {**conta, "codigo_lancamento_integracao": uid + "a"})
    typed = omie.admin("create", endpoint=endpoint, fields={**conta, "codigo_lancamento_integracao": uid + "u"},
                       at="20/04/2031 14:00:00")["record"]
    assert typed["info"]["cImpAPI"] == "N" and typed["info"]["uInc"] != "WEBSERVICE"
    mine = {"filtrar_cliente": client["codigo_cliente_omie"]}
    tag = "codigo_lancamento_integracao"
    assert sorted(listing(omie, path, call, array, tag, **mine)) == [uid + "a", uid + "u"]
    assert listing(omie, path, call, array, tag, **mine, apenas_importado_api="S") == [uid + "a"]
    assert listing(omie, path, call, array, tag, **mine, filtrar_por_data_de="20/04/2031",
                   filtrar_por_data_ate="20/04/2031", filtrar_por_hora_de="13:59:00") == [uid + "u"]
    omie.admin("edit", endpoint=endpoint, code=uid + "a", changes={"valor_documento": 100},
               at="01/05/2031 12:00:00")
    assert listing(omie, path, call, array, tag, **mine, filtrar_por_data_de="01/05/2031",
                   filtrar_apenas_alteracao="S") == [uid + "a"]
    by_change = listing(omie, path, call, array, tag, **mine, ordenar_por="DATA_ALTERACAO",
                        ordem_descrescente="S")
    assert by_change == [uid + "a", uid + "u"]


def test_ordering_of_clientes(omie, uid):
    for name in ("Bravo", "Alfa", "Charlie"):
        omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": f"{uid}{name}",
                                            "razao_social": f"{name} {uid}"})
    mine = {"clientesFiltro": {"razao_social": uid}}
    names = lambda **p: [c.split(" ")[0] for c in listing(omie, CLIENTES, "ListarClientes",
                                                            "clientes_cadastro", "razao_social", **mine, **p)]
    assert names(ordenar_por="RAZAO_SOCIAL") == ["Alfa", "Bravo", "Charlie"]
    assert names(ordenar_por="RAZAO_SOCIAL", ordem_decrescente="S") == ["Charlie", "Bravo", "Alfa"]
    assert names(ordenar_por="CODIGO") == ["Bravo", "Alfa", "Charlie"]        # ids in order of inclusion
    body = omie.fault(CLIENTES, "ListarClientes", {**mine, "ordenar_por": "COR"})
    assert body["faultcode"] == "SOAP-ENV:Client-105" and "[ordenar_por]" in body["faultstring"]


def test_a_page_holds_at_most_500_and_a_page_past_the_end_is_a_fault(omie, uid):
    if omie.real:
        pytest.skip("writes 501 clients")
    key = {"app_key": "other-key", "app_secret": "other-secret"}
    for lot in range(11):
        records = [{"codigo_cliente_integracao": f"{uid}-{lot}-{i}", "razao_social": "Página"}
                   for i in range(50 if lot < 10 else 1)]
        omie.ok(CLIENTES, "UpsertClientesPorLote", {"lote": lot, "clientes_cadastro": records}, **key)
    filtro = {"clientesFiltro": {"razao_social": "Página"}}
    first = omie.ok(CLIENTES, "ListarClientes", {"pagina": 1, "registros_por_pagina": 1000, **filtro}, **key)
    assert (first["registros"], first["total_de_paginas"], first["total_de_registros"]) == (500, 2, 501)
    second = omie.ok(CLIENTES, "ListarClientes", {"pagina": 2, "registros_por_pagina": 1000, **filtro}, **key)
    assert second["registros"] == 1
    body = omie.fault(CLIENTES, "ListarClientes", {"pagina": 3, "registros_por_pagina": 1000, **filtro}, **key)
    assert body == {"faultstring": "ERROR: Não existem registros para a página [3]!",
                    "faultcode": "SOAP-ENV:Client-5113"}


def test_a_deletion_in_omies_screens(omie, uid):
    omie.ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Some"})
    omie.admin("delete", endpoint="clientes", code=uid)
    omie.fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
