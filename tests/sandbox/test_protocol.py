"""The private outcome mark the traffic layer reads, and the read/write split."""
from __future__ import annotations

import pytest

from omie_push.sandbox.protocol import OUTCOME_HEADER, call_kind, encode

from .conftest import envelope


@pytest.mark.parametrize("call,kind", [("ListarClientes", "read"), ("ConsultarContrato", "read"),
                                       ("PesquisarCidades", "read"), ("UpsertCliente", "write"),
                                       ("ExcluirContaPagar", "write"), ("IncluirCategoria", "write"),
                                       ("AssociarCodIntCliente", "write")])
def test_call_kind(call, kind):
    assert call_kind(call) == kind


def test_encode_escapes_non_ascii():
    assert encode({"a": "não"}) == b'{"a":"n\\u00e3o"}'


def test_encode_writes_as_phps_json_encode():
    """omie-api.md §9: `/` escaped, money without trailing zeros."""
    assert encode({"d": "10/12/2030", "v": [1000.0, 7.70, 799, 0.5]}) == \
        b'{"d":"10\\/12\\/2030","v":[1000,7.7,799,0.5]}'


def test_outcome_marks(simulator, client):
    path = "/api/v1/geral/clientes/"
    write = simulator.post(path, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "m",
                                                                 "razao_social": "M"}))
    read = simulator.post(path, json=envelope("ListarClientes", {"pagina": 1}))
    fault = simulator.post(path, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "m",
                                                                 "inativo": "?"}))
    empty = simulator.post(path, json=envelope("ListarClientes", {"pagina": 99}))
    creds = simulator.post(path, json=envelope("ListarClientes", {}, "k1", "wrong"))
    missing = simulator.post("/api/v1/geral/nada/", json={})
    assert [r.headers[OUTCOME_HEADER] for r in (read, write, fault, empty, creds, missing)] == \
        ["read", "committed", "error", "error", "error", "error"]
    # the front door strips the mark from every answer, its own (403, 404) and the simulator's
    answers = [client.post(path, json=envelope("ListarClientes", {"pagina": 1})),
               client.post(path, json=envelope("ListarClientes", {}, "k1", "wrong")),
               client.post("/api/v1/geral/nada/", json={})]
    assert [r.status_code for r in answers] == [200, 403, 404]
    assert all(OUTCOME_HEADER not in r.headers for r in answers)


def test_a_lot_where_every_record_failed_commits_nothing(simulator):
    path = "/api/v1/financas/contareceber/"
    bad = {"codigo_lancamento_integracao": "x", "codigo_cliente_fornecedor": 5500000101,
           "data_vencimento": "2030-01-01", "valor_documento": 1}
    r = simulator.post(path, json=envelope("UpsertContaReceberPorLote", {"lote": 1, "conta_receber_cadastro": [bad]}))
    assert r.status_code == 200 and r.json()["status_lote"][0]["codigo_status"] == "104"
    assert r.headers[OUTCOME_HEADER] == "read"


def test_a_sandbox_bug_is_answered_as_omies_broken_response(simulator, caplog):
    """A filter of the wrong shape trips the sandbox; the client still gets an Omie-shaped fault."""
    simulator.post("/api/v1/geral/clientes/", json=envelope("UpsertCliente", {
        "codigo_cliente_integracao": "b", "razao_social": "B"}))       # a client for the filter to trip on
    r = simulator.post("/api/v1/geral/clientes/", json=envelope("ListarClientes", {"clientesFiltro": "texto"}))
    assert r.status_code == 500 and r.headers[OUTCOME_HEADER] == "error"
    assert r.json() == {"faultstring": "SOAP-ERROR: Broken response from Application Server (sandbox)",
                        "faultcode": "SOAP-ENV:Server"}
    assert "the sandbox failed" in caplog.text
