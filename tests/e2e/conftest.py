"""End-to-end fixtures: a copy of the sample dbt project as the real `dbt build` left it,
and the Omie sandbox served over real HTTP (omie_push.sandbox.testing) on its own state file.

Pushes run in-process through `omie_push.push.command.run_push` with the real sender; its httpx
transport is the real HTTP transport, wrapped only to count the calls it makes."""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
KEY, SECRET = "4400000000017", "e2e-secret-never-printed"
TARGETS = """
target: e2e
targets:
  e2e:
    base_url: {url}
    app_key: "{key}"
    app_secret: "{{{{ env_var('E2E_OMIE_APP_SECRET') }}}}"
    max_attempts: 2
    budgets: {{calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000,
               redundant_window_seconds: 0.2}}
  lossy:
    base_url: {lossy_url}
    app_key: "{key}"
    app_secret: "{{{{ env_var('E2E_OMIE_APP_SECRET') }}}}"
    max_attempts: 3
    budgets: {{calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000,
               redundant_window_seconds: 0.2}}
  faulty:
    base_url: {faulty_url}
    app_key: "{key}"
    app_secret: "{{{{ env_var('E2E_OMIE_APP_SECRET') }}}}"
    max_attempts: 2
    breaker_threshold: 1000
    budgets: {{calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000,
               redundant_window_seconds: 0.2}}
"""


def dbt_build(project: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
    done = subprocess.run([str(DBT), "build", "--profiles-dir", ".", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]


class CountingTransport(httpx.AsyncBaseTransport):
    """The real HTTP transport, noting each call's name and record key (never the secret)."""

    def __init__(self, calls: list):
        self.inner = httpx.AsyncHTTPTransport()
        self.calls = calls

    async def handle_async_request(self, request):
        body = json.loads(request.content)
        param = body["param"][0]
        key = (param.get("codigo_cliente_integracao") or param.get("codigo_lancamento_integracao")
               or param.get("codInt") or (param.get("cabecalho") or {}).get("cCodIntCtr")
               or param.get("descricao"))
        if body["call"] != "ListarEmpresas":    # the run's preflight, before any row
            self.calls.append((body["call"], key))
        return await self.inner.handle_async_request(request)

    async def aclose(self):
        await self.inner.aclose()


@dataclass
class Push:
    exit_code: int
    out: dict
    stderr: str
    calls: list = field(default_factory=list)

    def writes(self, call: str) -> list:
        return sorted(k for c, k in self.calls if c == call)


@dataclass
class E2E:
    project: Path
    url: str
    faulty_url: str
    lossy_url: str = ""

    def push(self, *args: str, target: str = "e2e") -> Push:
        from omie_push.client import make_sender
        from omie_push.cli import main

        calls: list = []
        stdout, stderr = io.StringIO(), io.StringIO()
        from omie_push.cli import push as command

        original = command.run_push

        def patched(**options):
            return original(sender_factory=lambda s: make_sender(s, transport=CountingTransport(calls)),
                            **options)

        command.run_push = patched
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                try:
                    main(["--project-dir", str(self.project), "--target", target, "--json", *args],
                         standalone_mode=False)
                    code = 0
                except SystemExit as exc:
                    code = exc.code
        finally:
            command.run_push = original
        text = stdout.getvalue() + stderr.getvalue()
        assert SECRET not in text
        return Push(code, json.loads(stdout.getvalue()), stderr.getvalue(), calls)

    def omie(self, path: str, call: str, param: dict) -> dict:
        body = {"call": call, "app_key": KEY, "app_secret": SECRET, "param": [param]}
        answer = httpx.post(f"{self.url}/{path}", json=body, timeout=30)
        if answer.status_code == 500 and "5113" in answer.text:   # Omie's "no records" fault
            return {}
        assert answer.status_code == 200, answer.text
        return answer.json()

    def listing(self, path: str, call: str, array: str) -> list[dict]:
        records, page = [], 1
        while True:
            answer = self.omie(path, call, {"pagina": page, "registros_por_pagina": 100})
            records += answer.get(array, [])
            if page >= int(answer.get("total_de_paginas") or 0):
                return records
            page += 1

    def results(self, sql: str, *params) -> list[tuple]:
        import duckdb

        con = duckdb.connect(str(self.project / "omie_results.duckdb"), read_only=True)
        try:
            return con.execute(sql, list(params)).fetchall()
        finally:
            con.close()

    def warehouse(self, sql: str) -> list[tuple]:
        import duckdb

        con = duckdb.connect(str(self.project / "warehouse.duckdb"), read_only=True)
        con.execute(f"attach '{self.project / 'omie_results.duckdb'}' as omie_results (read_only)")
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="session")
def e2e(sample_build, tmp_path_factory):
    """The sample project as `dbt build` left it (a copy of the session's one build), the sandbox
    served over HTTP; omie_push.yml points at it."""
    from omie_push.sandbox.testing import serve

    base = tmp_path_factory.mktemp("e2e")
    project = sample_build.copy_to(base / "dbt_project")
    state = base / "sandbox.sqlite"
    os.environ["E2E_OMIE_APP_SECRET"] = SECRET
    # One state, three doors: a clean sandbox, one whose every call breaks before the app
    # ("broken": the row fails), one that loses every write's answer after committing it.
    # The company holds the demo's fixtures (its bank accounts, the two clients typed in Omie
    # that omie_clientes_associar links), as the sample project's own target does.
    with serve({KEY: SECRET}, state_path=state, fixtures=["demo"]) as url, \
            serve({KEY: SECRET}, state_path=state, traffic={"limits": "off", "faults": "broken=1.0"}) as faulty, \
            serve({KEY: SECRET}, state_path=state,
                  traffic={"limits": "off", "faults": "drop_after_commit=1.0"}) as lossy:
        (project / "omie_push.yml").write_text(TARGETS.format(url=url, faulty_url=faulty, lossy_url=lossy, key=KEY))
        yield E2E(project, url, faulty, lossy)
