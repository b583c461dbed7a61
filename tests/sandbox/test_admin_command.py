"""`omie-push sandbox edit|create|delete|suspend|resume|load` on a state file: what a person in
Omie's screens, or Omie's staff, does to a company (issue 17, items 4 and 6)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from omie_push.cli.sandbox import fields_of, sandbox
from omie_push.sandbox.app import create_app

from .conftest import ACCOUNTS, envelope

CLIENTES = "/api/v1/geral/clientes/"


def run(state_path, *args):
    return CliRunner().invoke(sandbox, [*args, "--state", state_path, "--app-key", "k1"])


@pytest.fixture
def api(state_path):
    """The API on the same state file, as a running sandbox (or the embedded target) would be."""
    with TestClient(create_app(ACCOUNTS, state_path)) as c:
        yield c


def consult(api, code):
    return api.post(CLIENTES, json=envelope("ConsultarCliente", {"codigo_cliente_integracao": code}))


def test_edit_changes_fields_as_a_user_of_omies_screens(api, state_path):
    api.post(CLIENTES, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "C1", "razao_social": "Antes"}))
    done = run(state_path, "edit", "clientes", "--code", "C1", "razao_social=Depois", "cnpj_cpf=11222333000181",
               "--user", "P000568574", "--at", "01/02/2031 08:15:00")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["cnpj_cpf"] == "11.222.333/0001-81"
    got = consult(api, "C1").json()
    assert got["razao_social"] == "Depois" and got["cnpj_cpf"] == "11.222.333/0001-81"
    assert (got["info"]["uAlt"], got["info"]["dAlt"], got["info"]["hAlt"]) == ("P000568574", "01/02/2031", "08:15:00")
    assert got["info"]["uInc"] == "WEBSERVICE"
    # the new CNPJ is indexed: the API sees the duplicate
    dup = api.post(CLIENTES, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "C2", "razao_social": "X",
                                                             "cnpj_cpf": "11222333000181"}))
    assert dup.status_code == 500 and "[C1]" in dup.json()["faultstring"]


def test_edit_refuses_what_omie_would(api, state_path):
    api.post(CLIENTES, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "C1", "razao_social": "R"}))
    too_long = run(state_path, "edit", "clientes", "--code", "C1", "razao_social=" + "R" * 61)
    assert too_long.exit_code == 1 and "ultrapassa o tamanho máximo de [60]" in too_long.output
    erased = run(state_path, "edit", "clientes", "--code", "C1", "razao_social=")
    assert erased.exit_code == 1 and "[razao_social] é obrigatório" in erased.output
    read_only = run(state_path, "edit", "clientes", "--code", "C1", "info.uAlt=X")
    assert read_only.exit_code == 1 and "Omie sets it" in read_only.output
    missing = run(state_path, "edit", "clientes", "--code", "NOPE", "contato=x")
    assert missing.exit_code == 1 and "no cliente with codigo_cliente_integracao NOPE" in missing.output
    unknown = run(state_path, "edit", "pedidos", "--code", "C1", "x=1")
    assert unknown.exit_code == 1 and "cannot be edited" in unknown.output


def test_create_types_a_record_in_and_delete_removes_it(api, state_path):
    made = run(state_path, "create", "clientes", "razao_social=Digitada na tela", "cnpj_cpf=52998224725")
    assert made.exit_code == 0, made.output
    record = json.loads(made.output)
    assert record["codigo_cliente_integracao"] == "" and record["info"]["cImpAPI"] == "N"
    assert record["importado_api"] == "N" and record["pessoa_fisica"] == "S"
    dup = api.post(CLIENTES, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "API", "razao_social": "A",
                                                             "cnpj_cpf": "529.982.247-25"}))
    assert f"com o Id [{record['codigo_cliente_omie']}] e código de integração [] ! (add)" in dup.json()["faultstring"]
    gone = run(state_path, "delete", "clientes", "--omie-id", str(record["codigo_cliente_omie"]))
    assert gone.exit_code == 0, gone.output
    again = api.post(CLIENTES, json=envelope("UpsertCliente", {"codigo_cliente_integracao": "API", "razao_social": "A",
                                                               "cnpj_cpf": "529.982.247-25"}))
    assert again.status_code == 200


def test_suspend_and_resume(api, state_path):
    assert run(state_path, "suspend").exit_code == 0
    refused = api.post(CLIENTES, json=envelope("ListarClientes", {}))
    assert refused.status_code == 403
    other = api.post(CLIENTES, json=envelope("ListarClientes", {}, "k2", "s2"))
    assert other.status_code == 500 and other.json()["faultcode"] == "SOAP-ENV:Client-5113"   # k2 goes on
    assert run(state_path, "resume").exit_code == 0
    assert api.post(CLIENTES, json=envelope("ListarClientes", {})).status_code == 500        # 5113, not 403


def test_load_brings_a_fixture_set_once(state_path, api):
    first = run(state_path, "load", "demo")
    assert first.exit_code == 0 and "loaded: demo" in first.output
    assert api.post(CLIENTES, json=envelope("ConsultarCliente", {"codigo_cliente_omie": 5500000102})).status_code == 200
    assert "nothing new" in run(state_path, "load", "demo").output


def test_without_a_state_file_the_verbs_say_so(tmp_path):
    done = CliRunner().invoke(sandbox, ["suspend", "--state", str(tmp_path / "none.sqlite"), "--app-key", "k"])
    assert done.exit_code == 2 and "no sandbox state at" in done.output


def test_fields_of_reads_json_values_and_dotted_names():
    assert fields_of(("valor_documento=1500.5", "cabecalho.cCodSit=90", "razao_social=Padaria Nova",
                      "cep=01310100", "inativo=S")) == {
        "valor_documento": 1500.5, "cabecalho": {"cCodSit": 90}, "razao_social": "Padaria Nova",
        "cep": "01310100", "inativo": "S"}
