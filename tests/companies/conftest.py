"""Many companies: a copy of the sample dbt project built by the real `dbt build`, and the Omie
sandbox served over real HTTP with several companies (app keys) on one state file.

`Office.push(...)` runs `omie-push --json` in-process (the real sender, real HTTP) and returns
the exit code and the JSON; `Office.omie(key, ...)` asks the sandbox as one company."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")


def dbt_build(project: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
    done = subprocess.run([str(DBT), "build", "--profiles-dir", ".", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]

BUDGETS = ("budgets: {calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000, "
           "redundant_window_seconds: 0.2}")


def copy_sample(base: Path) -> Path:
    project = base / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns(
        "target", "logs", "*.duckdb", "*.duckdb.wal", ".omie-sandbox", ".user.yml"))
    return project


@dataclass
class Office:
    project: Path
    url: str
    secrets: dict          # app_key -> secret (the right ones)

    def push(self, *args: str, target: str | None = None) -> tuple[int, dict, str]:
        from omie_push.cli import main

        stdout, stderr = io.StringIO(), io.StringIO()
        chosen = ["--target", target] if target else []
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                main(["--project-dir", str(self.project), *chosen, "--json", *args],
                     standalone_mode=False)
                code = 0
            except SystemExit as exc:
                code = exc.code
        text = stdout.getvalue() + stderr.getvalue()
        for secret in self.secrets.values():
            assert secret not in text
        out = stdout.getvalue().strip()
        return code, (json.loads(out) if out else {}), stderr.getvalue()

    def omie(self, key: str, path: str, call: str, param: dict) -> dict:
        body = {"call": call, "app_key": key, "app_secret": self.secrets[key], "param": [param]}
        answer = httpx.post(f"{self.url}/{path}", json=body, timeout=30)
        if answer.status_code == 500 and "5113" in answer.text:   # Omie's "no records" fault
            return {}
        assert answer.status_code == 200, answer.text
        return answer.json()

    def listing(self, key: str, path: str, call: str, array: str) -> list[dict]:
        records, page = [], 1
        while True:
            answer = self.omie(key, path, call, {"pagina": page, "registros_por_pagina": 100})
            records += answer.get(array, [])
            if page >= int(answer.get("total_de_paginas") or 0):
                return records
            page += 1

    def clients(self, key: str) -> dict[str, int]:
        """integration code -> codigo_cliente_omie of one company's clients (those with a code)."""
        rows = self.listing(key, "geral/clientes/", "ListarClientes", "clientes_cadastro")
        return {r["codigo_cliente_integracao"]: r["codigo_cliente_omie"] for r in rows
                if r.get("codigo_cliente_integracao")}

    def results(self, sql: str, *params) -> list[tuple]:
        import duckdb

        con = duckdb.connect(str(self.project / "omie_results.duckdb"), read_only=True)
        try:
            return con.execute(sql, list(params)).fetchall()
        finally:
            con.close()


@contextlib.contextmanager
def office(base: Path, accounts: dict, yml: str, prepare=None):
    """The sample project copied (and changed by `prepare(project)`), built, and a sandbox
    serving `accounts` (app_key -> secret or spec) over HTTP; omie_push.yml is `yml` with
    {url} filled in."""
    from omie_push.sandbox.testing import serve

    project = copy_sample(base)
    if prepare is not None:
        prepare(project)
    dbt_build(project)
    secrets = {k: (v["app_secret"] if isinstance(v, dict) else v) for k, v in accounts.items()}
    with serve(accounts, state_path=base / "sandbox.sqlite", fixtures=["demo"]) as url:
        (project / "omie_push.yml").write_text(yml.replace("{url}", url))
        yield Office(project, url, secrets)


@pytest.fixture(autouse=True)
def _no_project_dir_env(monkeypatch):
    monkeypatch.delenv("DBT_PROJECT_DIR", raising=False)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


@pytest.fixture(scope="session")
def three(tmp_path_factory):
    """The office of tests/companies/offices.py, built once for the fan-out and Dagster tests."""
    from .offices import ACCOUNTS, YML, many_company_view

    with office(tmp_path_factory.mktemp("office"), ACCOUNTS, YML, many_company_view) as it:
        yield it
