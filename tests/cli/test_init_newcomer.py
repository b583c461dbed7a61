"""The newcomer's first hour, as the README tells it: in a dbt-duckdb project of their own,
outside this repository, `omie-push init clientes`, `dbt build`, `omie-push debug`, `omie-push`,
with nothing copied by hand. The real commands run as processes; what landed is read back from
the sandbox over HTTP."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from omie_push.push.scaffold import SANDBOX_KEY
from omie_push.sandbox.testing import serve

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
SANDBOX_SECRET = "sandbox-secret-not-a-real-one"     # the default omie_push.yml's env_var gives

USER_PROJECT = "name: acme_books\nprofile: acme_books\nconfig-version: 2\n"
USER_PROFILE = """\
acme_books:
  target: dev
  outputs:
    dev: {type: duckdb, path: warehouse.duckdb, threads: 2}
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DBT_PROJECT_DIR", "DBT_PROFILES_DIR", "DBT_TARGET")
           and not k.startswith("OMIE_SANDBOX_")}
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def user_project(tmp_path: Path) -> Path:
    project = tmp_path / "acme_books"
    project.mkdir()
    (project / "dbt_project.yml").write_text(USER_PROJECT)
    (project / "profiles.yml").write_text(USER_PROFILE)
    assert ROOT not in project.resolve().parents
    return project


def clients_in_sandbox(project: Path) -> set[str]:
    state = project / ".omie-sandbox" / "state.sqlite"
    with serve({SANDBOX_KEY: SANDBOX_SECRET}, state) as api:
        body = httpx.post(f"{api}/geral/clientes/", json={
            "call": "ListarClientes", "app_key": SANDBOX_KEY, "app_secret": SANDBOX_SECRET,
            "param": [{"pagina": 1, "registros_por_pagina": 50, "apenas_importado_api": "N"}]},
            timeout=30).json()
    return {c.get("codigo_cliente_integracao") for c in body["clientes_cadastro"]}


def test_init_build_debug_push_lands_the_starter_rows_in_the_sandbox(tmp_path):
    project = user_project(tmp_path)

    done = run("omie-push", "init", "clientes", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "wrote models/omie/omie_clientes.sql" in done.stdout and "omie-push debug" in done.stdout

    built = run("dbt", "build", cwd=project)
    assert built.returncode == 0, built.stdout[-3000:]

    debug = run("omie-push", "debug", cwd=project)
    assert debug.returncode == 0, debug.stdout + debug.stderr
    assert "Empresa Sandbox" in debug.stdout and "ERROR" not in debug.stdout

    pushed = run("omie-push", "--json", cwd=project)
    assert pushed.returncode == 0, pushed.stderr
    report = json.loads(pushed.stdout)
    assert report["endpoints"]["omie_clientes"]["sent"] == 2
    assert clients_in_sandbox(project) == {"CLI-0001", "CLI-0002"}

    again = json.loads(run("omie-push", "--json", cwd=project).stdout)
    assert again["endpoints"]["omie_clientes"]["unchanged"] == 2
    assert again["endpoints"]["omie_clientes"]["sent"] == 0


def test_every_endpoints_starter_builds_under_its_contract_and_pushes(tmp_path):
    """All ten endpoints' starters at once: dbt enforces each contract (the declared types),
    and every sample row reaches the sandbox, the contract's nCodCli through omie_ids."""
    from omie_push import catalog
    from omie_push.catalog import starter

    project = user_project(tmp_path)
    names = [ep.name for ep in catalog.ENDPOINTS]
    assert run("omie-push", "init", *names, cwd=project).returncode == 0
    built = run("dbt", "build", cwd=project)
    assert built.returncode == 0, built.stdout[-3000:]
    pushed = run("omie-push", "--json", cwd=project)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    views = json.loads(pushed.stdout)["endpoints"]
    for view, rows in starter.SAMPLES.items():
        if catalog.find_view(view)[0].view == view:      # child rows go inside their contract
            assert views[view]["sent"] == len(rows), (view, views[view])
    assert views["omie_contas_receber_excluir"]["sent"] == 0
