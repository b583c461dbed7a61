"""A hand-made dbt project (tests/push's FakeDbtProject) pushed to the Omie sandbox served over
real HTTP (omie_push.sandbox.testing.serve), and edits made as a person in Omie's screens
through the sandbox's admin route (`/_sandbox/edit`, what `omie-push sandbox edit` does)."""
from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from omie_push.sandbox.testing import admin, serve
from push.conftest import FakeDbtProject

KEY, SECRET = "4400000000099", "drift-secret-never-printed"
TARGET = """
target: served
targets:
  served:
    base_url: {url}
    app_key: "{key}"
    app_secret: "{secret}"
    lot_size: 0
    max_attempts: 2
    drift_check_minutes: {every}    # 0: every run lists (these tests edit Omie between runs)
    budgets: {{calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000,
               redundant_window_seconds: 0.05}}
"""
CLIENTES = """select * from (values {rows}) t(codigo_cliente_integracao, razao_social, cnpj_cpf,
  endereco, cidade, estado, cep)"""
ROWS = {
    "C-1": ("Alfa Ltda", "11444777000161", "Rua das Flores, 10", "SAO PAULO (SP)", "SP", "01310100"),
    "C-2": ("Beta Ltda", "11222333000181", "Avenida Brasil, 200", "SAO PAULO (SP)", "SP", "01430001"),
}


def values(rows: dict) -> str:
    return ", ".join("(" + ", ".join(f"'{v}'" for v in (k, *r)) + ")" for k, r in rows.items())


@dataclass
class Served:
    project: FakeDbtProject
    url: str

    @property
    def root(self) -> Path:
        return self.project.root

    def target(self, every: float) -> None:
        """omie_push.yml, with `drift_check_minutes: every`."""
        (self.root / "omie_push.yml").write_text(TARGET.format(url=self.url, key=KEY, secret=SECRET,
                                                                every=every))

    def clientes(self, rows: dict, meta: dict | None = None) -> None:
        self.project.model("omie_clientes", CLIENTES.format(rows=values(rows)), "clientes", meta=meta)

    def push(self, *args: str) -> tuple[int, dict, str]:
        from omie_push.cli import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(["--project-dir", str(self.root), "--json", *args], standalone_mode=False)
                code = 0
            except SystemExit as exc:
                code = exc.code
        assert SECRET not in out.getvalue() + err.getvalue()
        text = out.getvalue().strip()
        return code, (json.loads(text.splitlines()[-1]) if text else {}), err.getvalue()

    def cli(self, *args: str) -> tuple[int, str]:
        from click.testing import CliRunner

        from omie_push.cli import main

        result = CliRunner().invoke(main, [*args, "--project-dir", str(self.root)])
        assert SECRET not in result.output
        return result.exit_code, result.output

    def edit(self, code: str, user: str | None = None, endpoint: str = "clientes",
             at: str | None = None, **changes) -> dict:
        """A person changes a record in Omie's screens (`user`: who Omie says it was, `at`:
        when, dd/mm/aaaa hh:mm:ss)."""
        extra = {k: v for k, v in (("user", user), ("at", at)) if v}
        return admin(self.url, "edit", KEY, SECRET, endpoint=endpoint, code=code, changes=changes,
                     **extra)

    def consult(self, code: str) -> dict:
        import httpx

        body = {"call": "ConsultarCliente", "app_key": KEY, "app_secret": SECRET,
                "param": [{"codigo_cliente_integracao": code}]}
        return httpx.post(f"{self.url}/geral/clientes/", json=body, timeout=10).json()

    def sql(self, query: str, params=None) -> list:
        con = duckdb.connect(str(self.root / "omie_results.duckdb"), read_only=True)
        try:
            return con.execute(query, params or []).fetchall()
        finally:
            con.close()


@pytest.fixture
def served(tmp_path, monkeypatch):
    monkeypatch.delenv("DBT_PROJECT_DIR", raising=False)
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)
    monkeypatch.delenv("DBT_TARGET", raising=False)
    project = FakeDbtProject(tmp_path / "proj")
    with serve({KEY: SECRET}, tmp_path / "omie.sqlite") as url:
        served = Served(project, url)
        served.target(every=0)
        yield served
