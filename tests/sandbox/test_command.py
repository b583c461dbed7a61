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
