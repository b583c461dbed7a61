"""Many companies on one served sandbox (issue 17, item 4; omie-api.md §8): one key each, its
own records and name; the 960/min per client IP shared by all keys, 240/min per key and method
per key; a key suspended mid-run answers 403 while the others go on."""
from __future__ import annotations

import pytest

from .conftest import REAL, Target

CLIENTES, CATEGORIAS, EMPRESAS = "geral/clientes/", "geral/categorias/", "geral/empresas/"
CREDENTIALS = "A chave de acesso está inválida ou o aplicativo está suspenso."

pytestmark = pytest.mark.skipif(REAL, reason="serves several sandbox companies of its own")

ACCOUNTS = {
    "office-a": {"app_secret": "a-secret", "razao_social": "Padaria Aurora Ltda", "cnpj": "11444777000161"},
    "office-b": {"app_secret": "b-secret", "razao_social": "Oficina Bandeirantes Ltda",
                 "nome_fantasia": "Oficina B", "cnpj": "11.222.333/0001-81"},
    "office-c": "c-secret",
}


@pytest.fixture
def office():
    """Three companies on one sandbox with small per-minute budgets (6 per IP, 3 per key and
    method), so the sharing shows in a few calls."""
    from omie_push.sandbox.testing import serve

    traffic = {"limits": "real", "per_ip_per_minute": 6, "per_method_per_minute": 3}
    with serve(ACCOUNTS, traffic=traffic) as url:
        targets = {key: Target(url, key, spec["app_secret"] if isinstance(spec, dict) else spec)
                   for key, spec in ACCOUNTS.items()}
        yield url, targets
        for target in targets.values():
            target.http.close()


def page(target: Target, n: int):
    return target.call(CATEGORIAS, "ListarCategorias", {"pagina": n, "registros_por_pagina": 2})


def test_listar_empresas_answers_each_keys_company(office):
    url, t = office
    a = t["office-a"].ok(EMPRESAS, "ListarEmpresas", {"pagina": 1})["empresas_cadastro"]
    b = t["office-b"].ok(EMPRESAS, "ListarEmpresas", {"pagina": 1})["empresas_cadastro"]
    c = t["office-c"].ok(EMPRESAS, "ListarEmpresas", {"pagina": 1})["empresas_cadastro"]
    assert [(e["razao_social"], e["cnpj"]) for e in a] == [("Padaria Aurora Ltda", "11.444.777/0001-61")]
    assert (b[0]["razao_social"], b[0]["nome_fantasia"], b[0]["cnpj"]) == \
        ("Oficina Bandeirantes Ltda", "Oficina B", "11.222.333/0001-81")
    assert c[0]["cnpj"] not in (a[0]["cnpj"], b[0]["cnpj"])       # a company given no name gets its own


def test_the_per_ip_budget_is_shared_by_every_key(office):
    url, t = office
    for n, key in enumerate(["office-a", "office-a", "office-b", "office-b", "office-c", "office-c"]):
        assert page(t[key], n + 1).status_code == 200
    for key in ACCOUNTS:                                  # the 7th call from this address, any key
        assert page(t[key], 9).status_code == 429


def test_the_per_method_budget_is_per_key(office):
    url, t = office
    for n in range(3):
        assert page(t["office-a"], n + 1).status_code == 200
    assert page(t["office-a"], 4).status_code == 429      # office-a spent its 3 on this method
    assert page(t["office-b"], 1).status_code == 200      # office-b's budget is its own
    assert t["office-a"].call(CLIENTES, "ListarClientesResumido", {"pagina": 1}).status_code == 500   # 5113


def test_a_key_suspended_mid_run_is_refused_while_the_others_go_on(office):
    from omie_push.sandbox.testing import admin

    url, t = office
    assert page(t["office-a"], 1).status_code == 200
    admin(url, "suspend", "office-a", "a-secret")
    refused = page(t["office-a"], 2)
    assert refused.status_code == 403
    assert refused.json() == {"faultstring": CREDENTIALS, "faultcode": "SOAP-ENV:Server"}
    assert page(t["office-b"], 1).status_code == 200
    admin(url, "resume", "office-a", "a-secret")
    assert page(t["office-a"], 3).status_code == 200


def test_each_company_keeps_its_own_records(office, uid):
    url, t = office
    t["office-a"].ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Só A",
                                                 "cnpj_cpf": "11222333000181"})
    t["office-b"].fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
    # the same CNPJ in another company is no duplicate
    t["office-b"].ok(CLIENTES, "UpsertCliente", {"codigo_cliente_integracao": uid, "razao_social": "Só B",
                                                 "cnpj_cpf": "11222333000181"})
