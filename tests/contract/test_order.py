"""Checks in Omie's order (issue 17, item 2): route and JSON, then credentials (403), then the
limits and REDUNDANT, then the call; only requests that reached a call count towards REDUNDANT
and the misuse block. Against a sandbox served with Omie's real limits (or the real Omie with
OMIE_REAL=1, for the tests marked real_omie: they read, and their repeats stay under the limits)."""
from __future__ import annotations

import pytest

from .conftest import REAL, Target

CLIENTES, CATEGORIAS = "geral/clientes/", "geral/categorias/"
CREDENTIALS = "A chave de acesso está inválida ou o aplicativo está suspenso."


@pytest.fixture(scope="module")
def limited(omie):
    """A target with Omie's limits on: the real Omie, or a sandbox of its own with limits real."""
    if REAL:
        yield omie
        return
    from omie_push.sandbox.testing import serve

    with serve({"order-key": "order-secret"}, traffic={"limits": "real"}) as url:
        target = Target(url, "order-key", "order-secret")
        yield target
        target.http.close()


def wrong_secret(target: Target, path: str, call: str, param: dict):
    return target.call(path, call, param, app_secret="not-the-secret")


def assert_403(response):
    assert response.status_code == 403, response.text
    assert response.json() == {"faultstring": CREDENTIALS, "faultcode": "SOAP-ENV:Server"}


@pytest.mark.real_omie
def test_a_wrong_secret_is_403_after_an_identical_call(limited, uid):
    param = {"pagina": 1, "registros_por_pagina": 7, "filtrar_por_tipo": "R"}
    assert limited.call(CATEGORIAS, "ListarCategorias", param).status_code == 200
    assert_403(wrong_secret(limited, CATEGORIAS, "ListarCategorias", param))    # not REDUNDANT
    again = limited.call(CATEGORIAS, "ListarCategorias", param)
    assert again.json()["faultcode"] == "SOAP-ENV:Client-6"                      # the window is the call's


def test_a_wrong_secret_is_403_on_a_blocked_method(limited, uid):
    if limited.real:
        pytest.skip("would block a method of the real key for 30 minutes")
    for n in range(10):                      # ten not-found answers block ConsultarCliente
        limited.fault(CLIENTES, "ConsultarCliente", {"codigo_cliente_omie": 9_000_000_000 + n})
    assert limited.call(CLIENTES, "ConsultarCliente", {"codigo_cliente_omie": 1}).status_code == 425
    assert_403(wrong_secret(limited, CLIENTES, "ConsultarCliente", {"codigo_cliente_omie": 2}))


def test_refused_credentials_do_not_count_towards_the_block(limited, uid):
    if limited.real:
        pytest.skip("fifteen refused calls on the real key")
    param = {"codigo_cliente_integracao": "nada-" + uid}
    for _ in range(15):
        assert_403(wrong_secret(limited, CLIENTES, "ListarClientesResumido", param))
    answer = limited.call(CLIENTES, "ListarClientesResumido", {"pagina": 1, "registros_por_pagina": 3})
    assert answer.status_code in (200, 500) and answer.status_code != 425
    if answer.status_code == 500:
        assert answer.json()["faultcode"] == "SOAP-ENV:Client-5113"


@pytest.mark.real_omie
def test_an_unknown_route_and_bad_json_open_no_redundant_window(limited):
    param = {"pagina": 1, "registros_por_pagina": 9}
    body = {"call": "ListarCategorias", "app_key": limited.app_key, "app_secret": limited.app_secret,
            "param": [param]}
    assert limited.post("geral/naoexiste/", body).status_code == 404
    assert limited.post("geral/categorias", body).status_code == 301        # no trailing slash
    for _ in range(3):
        assert limited.post(CATEGORIAS, b'{"call": "ListarCategorias", "param": [').status_code == 500
    assert limited.post(CATEGORIAS, body).status_code == 200                 # the first to reach a call


def test_with_the_per_ip_budget_spent_a_wrong_secret_is_still_403():
    """Credentials come before the limits: a spent budget answers 429 to a good key only."""
    if REAL:
        pytest.skip("would spend the real per-IP budget")
    from omie_push.sandbox.testing import serve

    with serve({"ip-key": "ip-secret"}, traffic={"limits": "real", "per_ip_per_minute": 3}) as url:
        target = Target(url, "ip-key", "ip-secret")
        for page in range(1, 4):
            assert target.call(CATEGORIAS, "ListarCategorias", {"pagina": page,
                                                                "registros_por_pagina": 2}).status_code == 200
        assert target.call(CATEGORIAS, "ListarCategorias", {"pagina": 4}).status_code == 429
        assert_403(wrong_secret(target, CATEGORIAS, "ListarCategorias", {"pagina": 5}))
        target.http.close()
