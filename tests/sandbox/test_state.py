"""State: per-company records in a SQLite file that survives restarts, ids of ~10 digits."""
from __future__ import annotations

from starlette.testclient import TestClient

from omie_push.sandbox.app import create_app
from omie_push.sandbox.state import Store

from .conftest import ACCOUNTS, envelope

CLIENTES = "/api/v1/geral/clientes/"


def test_records_survive_a_restart_and_ids_keep_counting(state_path):
    with TestClient(create_app(ACCOUNTS, state_path)) as c:
        first = c.post(CLIENTES, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "A",
                                                                 "razao_social": "Antes"})).json()
    with TestClient(create_app(ACCOUNTS, state_path)) as c:
        got = c.post(CLIENTES, json=envelope("ConsultarCliente", {"codigo_cliente_integracao": "A"})).json()
        second = c.post(CLIENTES, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "B",
                                                                  "razao_social": "Depois"})).json()
    assert got["codigo_cliente_omie"] == first["codigo_cliente_omie"]
    assert second["codigo_cliente_omie"] > first["codigo_cliente_omie"]


def test_ids_have_about_ten_digits_and_differ_per_company(client):
    ids = [client.post(CLIENTES, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "X",
                                                                 "razao_social": "X"}, key, secret)).json()
           ["codigo_cliente_omie"] for key, secret in ACCOUNTS.items()]
    assert all(10 ** 9 <= i < 10 ** 10 for i in ids)
    assert ids[0] != ids[1]


def test_a_new_company_starts_as_a_new_omie_app(tmp_path):
    """Omie's default categories and cash account, and no clients (issue 17, item 1)."""
    store = Store(str(tmp_path / "s.sqlite"))
    company = store.company("fresh")
    assert [r["nCodCC"] for r in company.all("conta_corrente")] == [4850011001]
    codes = {r["codigo"]: r["descricao"] for r in company.all("categoria")}
    assert codes["1.01.02"] == "Serviços Prestados" and codes["2.03"] == "Despesas Comerciais"
    assert len(codes) == 13
    assert company.all("cliente") == []
    store.close()


def test_the_demo_fixtures_are_loaded_once(tmp_path):
    from omie_push.sandbox import fixtures

    store = Store(str(tmp_path / "s.sqlite"))
    assert fixtures.load(store, "demo-key", ["demo"]) == ["demo"]
    company = store.company("demo-key")
    assert [r["nCodCC"] for r in company.all("conta_corrente")] == [4850011001, 4850011002, 4850011003]
    padaria = company.get("cliente", 5500000101)
    maria = company.get("cliente", 5500000102)
    assert padaria["cnpj_cpf"] == "11.222.333/0001-81" and padaria["codigo_cliente_integracao"] == ""
    assert maria["cnpj_cpf"] == "529.982.247-25" and maria["razao_social"] == "Maria Aparecida Souza"
    assert padaria["info"]["uInc"] != "WEBSERVICE" and padaria["info"]["cImpAPI"] == "N"
    with store.transaction():
        company.delete("cliente", 5500000101)
    assert fixtures.load(store, "demo-key", ["demo"]) == []       # not loaded again
    assert company.get("cliente", 5500000101) is None             # so a deleted record stays deleted
    assert store.company("other").all("cliente") == []            # another company has none
    store.close()


def test_a_refused_call_changes_nothing(client):
    """A fault inside a call rolls the whole call back (a lot of clientes here)."""
    records = [{"codigo_cliente_integracao": "ok", "razao_social": "Boa"},
               {"codigo_cliente_integracao": "bad", "razao_social": "R" * 61}]
    r = client.post(CLIENTES, json=envelope("UpsertClientesPorLote", {"lote": 1, "clientes_cadastro": records}))
    assert r.status_code == 500
    r = client.post(CLIENTES, json=envelope("ConsultarCliente", {"codigo_cliente_integracao": "ok"}))
    assert r.status_code == 500


def test_two_servers_on_one_file_never_share_an_id(state_path):
    """The e2e tests serve two apps on one state file; SQLite's write lock keeps ids unique."""
    from concurrent.futures import ThreadPoolExecutor

    apps = [TestClient(create_app(ACCOUNTS, state_path)) for _ in range(2)]

    def upsert(i):
        r = apps[i % 2].post(CLIENTES, json=envelope("UpsertCliente", {"codigo_cliente_integracao": f"T{i}",
                                                                       "razao_social": "T"}))
        return r.json()["codigo_cliente_omie"]

    with apps[0], apps[1], ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(upsert, range(40)))
    assert len(set(ids)) == 40
