"""A first push, or a --full-refresh, to a real Omie company shows the plan and asks on a
terminal; never asks elsewhere, nor with --yes, nor for the embedded sandbox. The real push runs
against the sandbox served over HTTP (a URL, so omie-push treats it as a real company)."""
from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from omie_push.cli import push as command
from omie_push.sandbox.testing import serve

KEY, SECRET = "5500000000017", "confirm-secret"
SERVED = """
target: real
targets:
  real:
    base_url: {url}
    app_key: "{key}"
    app_secret: "{secret}"
    budgets: {{redundant_window_seconds: 0.1}}
"""
CLIENTES = ("select * from (values ('C-1', 'Alfa Ltda'), ('C-2', 'Beta Ltda')) "
            "as t(codigo_cliente_integracao, razao_social)")


@pytest.fixture
def served(fake_project):
    with serve({KEY: SECRET}) as url:
        (fake_project.root / "omie_push.yml").write_text(SERVED.format(url=url, key=KEY, secret=SECRET))
        fake_project.model("omie_clientes", CLIENTES, "clientes")
        fake_project.url = url
        yield fake_project


def clients(url) -> int:
    body = httpx.post(f"{url}/geral/clientes/", json={
        "call": "ListarClientes", "app_key": KEY, "app_secret": SECRET,
        "param": [{"pagina": 1, "registros_por_pagina": 50}]}).json()
    return len(body.get("clientes_cadastro") or [])


def push(project, answer: str | None, monkeypatch, terminal=True, **options) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer or ""))
    return command.run_push(project_dir=str(project.root), is_terminal=lambda: terminal, **options)


def test_the_first_push_shows_the_plan_asks_and_declined_sends_nothing(served, monkeypatch, capsys):
    assert push(served, "n\n", monkeypatch) == 1
    out = capsys.readouterr().out
    assert "first push to the Omie company of app_key 5500000000017" in out
    assert "omie_clientes" in out and "Send these 2 rows to target 'real'?" in out
    assert "Nothing sent" in out and clients(served.url) == 0

    assert push(served, "y\n", monkeypatch) == 0
    assert clients(served.url) == 2 and "Send these" in capsys.readouterr().out
    assert push(served, None, monkeypatch) == 0          # not the first any more: no question
    assert "Send these" not in capsys.readouterr().out


def test_full_refresh_asks_and_yes_skips_the_question(served, monkeypatch, capsys):
    assert push(served, None, monkeypatch, assume_yes=True) == 0
    assert "Send these" not in capsys.readouterr().out and clients(served.url) == 2
    assert push(served, "n\n", monkeypatch, full_refresh=True) == 1
    assert "--full-refresh sends every valid row" in capsys.readouterr().out


def test_never_asks_when_stdin_is_not_a_terminal(served, monkeypatch, capsys):
    assert push(served, None, monkeypatch, terminal=False) == 0
    err = capsys.readouterr().err
    assert "not asking (stdin is not a terminal)" in err and clients(served.url) == 2


def test_the_embedded_sandbox_is_never_asked_about(fake_project, monkeypatch, capsys):
    fake_project.model("omie_clientes", CLIENTES, "clientes")
    assert push(fake_project, None, monkeypatch) == 0
    assert "Send these" not in capsys.readouterr().out


def test_on_a_real_pseudo_terminal_the_question_waits_for_the_answer(served):
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
    proc = subprocess.Popen([str(Path(sys.executable).with_name("omie-push")), "--project-dir",
                             str(served.root)], stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    seen = read_until(master, b"Send these 2 rows", proc)
    os.write(master, b"n\n")
    seen += read_until(master, b"Nothing sent", proc)
    assert proc.wait(timeout=60) == 1
    os.close(master)
    assert b"first push" in seen and clients(served.url) == 0


def read_until(fd: int, wanted: bytes, proc, timeout: float = 90) -> bytes:
    seen, deadline = b"", time.monotonic() + timeout
    while wanted not in seen:
        assert time.monotonic() < deadline, seen.decode(errors="replace")
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
        elif proc.poll() is not None:
            break
    assert wanted in seen, seen.decode(errors="replace")
    return seen
