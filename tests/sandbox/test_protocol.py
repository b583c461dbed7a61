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


def test_outcome_marks(client):
    path = "/api/v1/geral/clientes/"
    read = client.post(path, json=envelope("ListarClientes", {"pagina": 1}))
    write = client.post(path, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "m",
                                                              "razao_social": "M"}))
    fault = client.post(path, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "m",
                                                              "inativo": "?"}))
    empty = client.post(path, json=envelope("ListarClientes", {"pagina": 99}))
    creds = client.post(path, json=envelope("ListarClientes", {}, "k1", "wrong"))
    missing = client.post("/api/v1/geral/nada/", json={})
    assert [r.headers[OUTCOME_HEADER] for r in (read, write, fault, empty, creds, missing)] == \
        ["read", "committed", "error", "error", "error", "error"]


def test_a_lot_where_every_record_failed_commits_nothing(client):
    path = "/api/v1/financas/contareceber/"
    bad = {"codigo_lancamento_integracao": "x", "codigo_cliente_fornecedor": 5500000101,
           "data_vencimento": "2030-01-01", "valor_documento": 1}
    r = client.post(path, json=envelope("UpsertContaReceberPorLote", {"lote": 1, "conta_receber_cadastro": [bad]}))
    assert r.status_code == 200 and r.json()["status_lote"][0]["codigo_status"] == "104"
    assert r.headers[OUTCOME_HEADER] == "read"


def test_a_sandbox_bug_is_answered_as_omies_broken_response(client, caplog):
    """A filter of the wrong shape trips the sandbox; the client still gets an Omie-shaped fault."""
    r = client.post("/api/v1/geral/clientes/", json=envelope("ListarClientes", {"clientesFiltro": "texto"}))
    assert r.status_code == 500 and r.headers[OUTCOME_HEADER] == "error"
    assert r.json() == {"faultstring": "SOAP-ERROR: Broken response from Application Server (sandbox)",
                        "faultcode": "SOAP-ENV:Server"}
    assert "the sandbox failed" in caplog.text
