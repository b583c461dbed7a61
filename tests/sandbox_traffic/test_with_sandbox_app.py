"""The traffic layer around the real simulator (`omie_push.sandbox.app.create_app`)."""
import httpx
import pytest

from omie_push.sandbox.app import create_app
from omie_push.sandbox.traffic import ManualClock, TrafficConfig

pytestmark = pytest.mark.anyio

KEY, SECRET = "4400000001", "segredo-de-teste"
CLIENTE = {"codigo_cliente_integracao": "CLI-T1", "razao_social": "Oficina Traffic Ltda",
           "cnpj_cpf": "11444777000161", "nome_fantasia": "Oficina"}


def _client(**options):
    clock = ManualClock()
    app = create_app({KEY: SECRET}, None, traffic=TrafficConfig.parse(clock=clock, **options))
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 0))
    return httpx.AsyncClient(transport=transport, base_url="http://sandbox"), clock


async def _post(client, path, call, param):
    return await client.post(f"/api/v1/{path}/", json={"call": call, "app_key": KEY,
                                                      "app_secret": SECRET, "param": [param]})


async def test_limits_around_the_simulator(anyio_backend):
    client, clock = _client()
    async with client:
        first = await _post(client, "geral/clientes", "UpsertCliente", CLIENTE)
        assert first.status_code == 200, first.text
        assert first.json()["codigo_status"] == "0" and "x-sandbox-outcome" not in first.headers
        again = await _post(client, "geral/clientes", "UpsertCliente", CLIENTE)
        assert again.json()["faultcode"] == "SOAP-ENV:Client-6"
        listed = await _post(client, "geral/clientes", "ListarClientes",
                             {"pagina": 1, "registros_por_pagina": 50})
        assert listed.status_code == 200
        # the simulator's own faults count towards the misuse block
        for code in range(10):
            missing = await _post(client, "geral/clientes", "ConsultarCliente",
                                  {"codigo_cliente_omie": 9_000_000_000 + code})
            assert missing.status_code == 500 and "faultcode" in missing.json()
        blocked = await _post(client, "geral/clientes", "ConsultarCliente",
                              {"codigo_cliente_omie": 1})
        assert blocked.status_code == 425
        assert blocked.json()["faultcode"] == "MISUSE_API_PROCESS"


async def test_drop_after_commit_with_the_simulator(anyio_backend):
    client, clock = _client(faults="drop_after_commit=1")
    async with client:
        with pytest.raises(httpx.RemoteProtocolError):
            await _post(client, "geral/clientes", "UpsertCliente", CLIENTE)
        listed = await _post(client, "geral/clientes", "ListarClientes",
                             {"pagina": 1, "registros_por_pagina": 50})
        codes = [c.get("codigo_cliente_integracao") for c in listed.json()["clientes_cadastro"]]
        assert "CLI-T1" in codes        # the write committed although its answer was lost


async def test_legacy_get_json_calls_are_limited_too(anyio_backend):
    import json
    client, clock = _client()
    envelope = json.dumps({"call": "ListarCategorias", "app_key": KEY, "app_secret": SECRET,
                           "param": [{"pagina": 1, "registros_por_pagina": 20}]})
    async with client:
        first = await client.get("/api/v1/geral/categorias/", params={"JSON": envelope})
        assert first.status_code == 200, first.text
        again = await client.get("/api/v1/geral/categorias/", params={"JSON": envelope})
        assert again.json()["faultcode"] == "SOAP-ENV:Client-6"
