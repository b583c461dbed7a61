"""`omie-push sandbox serve`: the real server, driven as a user would (plain HTTP posts)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from omie_push.cli.sandbox import accounts_from, sandbox

OMIE_PUSH = str(Path(sys.executable).with_name("omie-push"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, *args: str, cwd=None) -> subprocess.Popen:
    """`omie-push sandbox serve` run in `cwd` (default: a fresh folder, outside any dbt project)."""
    cwd = cwd or tempfile.mkdtemp(prefix="omie-serve-")
    proc = subprocess.Popen([OMIE_PUSH, "sandbox", "serve", "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=cwd)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read())
            time.sleep(0.05)
    proc.terminate()
    raise RuntimeError("the sandbox did not start")


def stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    out, _ = proc.communicate(timeout=10)
    return out


def post(port: int, call: str, param: dict, key="sandbox-key", secret="sandbox-secret") -> httpx.Response:
    body = {"call": call, "app_key": key, "app_secret": secret, "param": [param]}
    return httpx.post(f"http://127.0.0.1:{port}/api/v1/geral/clientes/", json=body, timeout=10)


@pytest.mark.e2e
def test_serve_answers_upsert_and_lists_the_cnpj_formatted_across_restarts(tmp_path):
    port, state = free_port(), str(tmp_path / "state.sqlite")
    proc = start(port, "--state", state, "--limits", "off")
    try:
        answer = post(port, "UpsertCliente", {"codigo_cliente_integracao": "CLI-001",
                                              "razao_social": "Açougue Boi Bravo Ltda",
                                              "cnpj_cpf": "39330543000102"})
        assert answer.status_code == 200 and answer.json()["codigo_status"] == "0"
    finally:
        out = stop(proc)
    assert "sandbox-secret" not in out
    proc = start(port, "--state", state, "--limits", "off")
    try:
        listed = post(port, "ListarClientes", {"pagina": 1, "registros_por_pagina": 50,
                                               "clientesFiltro": {"cnpj_cpf": "39330543000102"}})
        [record] = listed.json()["clientes_cadastro"]
        assert record["cnpj_cpf"] == "39.330.543/0001-02"
        assert record["codigo_cliente_omie"] == answer.json()["codigo_cliente_omie"]
        assert b"A\\u00e7ougue" in listed.content
    finally:
        stop(proc)


@pytest.mark.e2e
def test_serve_with_two_companies(tmp_path):
    port = free_port()
    proc = start(port, "--state", str(tmp_path / "s.sqlite"), "--limits", "off",
                 "--app-key", "A", "--app-secret", "a", "--app-key", "B", "--app-secret", "b")
    try:
        assert post(port, "UpsertCliente", {"codigo_cliente_integracao": "só-A", "razao_social": "A"},
                    "A", "a").status_code == 200
        assert post(port, "ConsultarCliente", {"codigo_cliente_integracao": "só-A"}, "B", "b").status_code == 500
        only_a = post(port, "ListarClientes", {}, "A", "a").json()["clientes_cadastro"]
        assert [c["codigo_cliente_integracao"] for c in only_a] == ["só-A"]
        empty = post(port, "ListarClientes", {}, "B", "b")               # a new company: no clients
        assert empty.status_code == 500 and empty.json()["faultcode"] == "SOAP-ENV:Client-5113"
        assert post(port, "ListarClientes", {}).status_code == 403      # the default key is not served
    finally:
        stop(proc)


def test_accounts_default_to_the_environment(monkeypatch):
    monkeypatch.setenv("OMIE_APP_KEY", "env-key")
    monkeypatch.setenv("OMIE_APP_SECRET", "env-secret")
    assert accounts_from((), ()) == {"env-key": "env-secret"}
    monkeypatch.delenv("OMIE_APP_KEY")
    monkeypatch.delenv("OMIE_APP_SECRET")
    assert accounts_from((), ()) == {"sandbox-key": "sandbox-secret"}
    assert accounts_from(("a", "b"), ("x", "y")) == {"a": "x", "b": "y"}


def test_unpaired_keys_and_bad_specs_are_usage_errors():
    runner = CliRunner()
    unpaired = runner.invoke(sandbox, ["serve", "--app-key", "a"])
    assert unpaired.exit_code == 2 and "--app-secret" in unpaired.output
    bad = runner.invoke(sandbox, ["serve", "--limits", "sometimes"])
    assert bad.exit_code == 2 and "--limits" in bad.output


def call(port: int, path: str, call_name: str, param: dict, key="sandbox-key", secret="sandbox-secret"):
    body = {"call": call_name, "app_key": key, "app_secret": secret, "param": [param]}
    return httpx.post(f"http://127.0.0.1:{port}/api/v1/{path}", json=body, timeout=10)


@pytest.mark.e2e
def test_a_fresh_serve_takes_the_test_cnpj_and_a_wrong_secret_is_403_whatever_came_before(tmp_path):
    """Issue 17, Done when: against a fresh `sandbox serve` (Omie's real limits)."""
    port = free_port()
    proc = start(port, cwd=tmp_path)
    wrong = dict(secret="not-the-secret")
    client = {"codigo_cliente_integracao": "NOVO-1", "razao_social": "Padaria de teste",
              "cnpj_cpf": "11.222.333/0001-81"}
    try:
        first = post(port, "UpsertCliente", client)
        assert first.status_code == 200 and first.json()["codigo_status"] == "0", first.text
        assert post(port, "UpsertCliente", client).json()["faultcode"] == "SOAP-ENV:Client-6"
        assert post(port, "UpsertCliente", client, **wrong).status_code == 403      # after REDUNDANT
        for n in range(10):
            assert post(port, "ConsultarCliente", {"codigo_cliente_omie": n + 1}).status_code == 500
        assert post(port, "ConsultarCliente", {"codigo_cliente_omie": 99}).status_code == 425
        refused = post(port, "ConsultarCliente", {"codigo_cliente_omie": 99}, **wrong)
        assert refused.status_code == 403                                         # after the block
        assert refused.json()["faultstring"] == "A chave de acesso está inválida ou o aplicativo está suspenso."
    finally:
        out = stop(proc)
    assert (tmp_path / ".omie-sandbox" / "state.sqlite").exists()        # the one default place
    assert "sandbox-secret" not in out


PROJECT_YML = """
target: sandbox
targets:
  sandbox:
    base_url: embedded
    app_key: "7700000000001"
    app_secret: "{{ env_var('PROJECT_SANDBOX_SECRET', 'project-secret') }}"
    sandbox_fixtures: demo
    sandbox_options: {limits: 'off'}
"""


@pytest.mark.e2e
def test_serve_in_a_project_shares_the_embedded_targets_records(tmp_path):
    """Issue 17, item 3: one state, one default; the project's key, secret and fixtures."""
    import asyncio

    from omie_push.client.transport import make_client, post as omie_post
    from omie_push.push import config

    (tmp_path / "omie_push.yml").write_text(PROJECT_YML)
    port = free_port()
    proc = start(port, cwd=tmp_path)
    project = dict(key="7700000000001", secret="project-secret")
    try:
        assert post(port, "ConsultarCliente", {"codigo_cliente_omie": 5500000101}, **project).status_code == 200
        made = post(port, "UpsertCliente", {"codigo_cliente_integracao": "VIA-HTTP", "razao_social": "Servida"},
                    **project)
        assert made.status_code == 200, made.text
        empresa = call(port, "geral/empresas/", "ListarEmpresas", {}, **project).json()["empresas_cadastro"][0]
        assert empresa["razao_social"] == "Vértice Tecnologia e Consultoria Ltda"
    finally:
        out = stop(proc)
    assert "project-secret" not in out and "target sandbox" in out
    cfg = config.load(tmp_path)
    assert Path(cfg.sandbox.state) == (tmp_path / ".omie-sandbox" / "state.sqlite").resolve()

    async def consult():
        async with make_client(cfg.settings, cfg.transport()) as client:
            return await omie_post(client, cfg.settings, "geral/clientes/", "ConsultarCliente",
                                   {"codigo_cliente_integracao": "VIA-HTTP"})
    answer = asyncio.run(consult())
    assert answer.status_code == 200 and answer.body["codigo_cliente_omie"] == made.json()["codigo_cliente_omie"]


@pytest.mark.e2e
def test_serve_names_each_company(tmp_path):
    port = free_port()
    proc = start(port, "--limits", "off", "--app-key", "A", "--app-secret", "a", "--app-key", "B",
                 "--app-secret", "b", "--company-name", "Alfa Comércio Ltda", "--company-cnpj",
                 "11444777000161", cwd=tmp_path)
    try:
        a = call(port, "geral/empresas/", "ListarEmpresas", {}, "A", "a").json()["empresas_cadastro"][0]
        b = call(port, "geral/empresas/", "ListarEmpresas", {}, "B", "b").json()["empresas_cadastro"][0]
    finally:
        stop(proc)
    assert (a["razao_social"], a["cnpj"]) == ("Alfa Comércio Ltda", "11.444.777/0001-61")
    assert b["razao_social"] != a["razao_social"] and b["cnpj"] != a["cnpj"]


def test_a_bad_company_cnpj_or_fixture_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    bad = runner.invoke(sandbox, ["serve", "--company-cnpj", "11444777000199"])
    assert bad.exit_code == 2 and "not a valid CNPJ" in bad.output
    unknown = runner.invoke(sandbox, ["serve", "--fixtures", "nada"])
    assert unknown.exit_code == 2 and "unknown sandbox fixture set 'nada'" in unknown.output
