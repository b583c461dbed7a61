"""Reliability suites (issue 10): the sample dbt project built by the real `dbt build`, pushed
by the real CLI (in-process) to the Omie sandbox served over real HTTP, each test on its own
copy of the project and its own sandbox state; what reached Omie is read back with List calls.

The App Secret is distinctive (`SECRET`) so the secret suite can search every byte a run
leaves for it."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
KEY = "4400000000093"
SECRET = "rel-SECRET-7Qx9-never-shown"
SECRET_ENV = "REL_OMIE_APP_SECRET"
FAST_BUDGETS = ("{calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000, "
                "redundant_window_seconds: 0.2}")


def target_yaml(url: str, key: str = KEY, extra: str = "") -> str:
    return (f"target: rel\ntargets:\n  rel:\n    base_url: {url}\n    app_key: \"{key}\"\n"
            f"    app_secret: \"{{{{ env_var('{SECRET_ENV}') }}}}\"\n    max_attempts: 2\n"
            f"    budgets: {FAST_BUDGETS}\n{extra}")


def dbt(project: Path, verb: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
    done = subprocess.run([str(DBT), verb, "--profiles-dir", ".", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    return done


@dataclass
class Pushed:
    exit_code: int
    out: dict
    stderr: str
    seconds: float


@dataclass
class Rig:
    """One project copy and the sandbox it pushes to."""

    project: Path
    url: str

    def configure(self, url: str | None = None, key: str = KEY, extra: str = "") -> None:
        (self.project / "omie_push.yml").write_text(target_yaml(url or self.url, key, extra))

    def push(self, *args: str) -> Pushed:
        from omie_push.cli import main

        stdout, stderr = io.StringIO(), io.StringIO()
        started = time.monotonic()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                main(["--project-dir", str(self.project), "--json", *args], standalone_mode=False)
                code = 0
            except SystemExit as exc:
                code = exc.code
        text = stdout.getvalue() + stderr.getvalue()
        assert SECRET not in text
        out = json.loads(stdout.getvalue()) if stdout.getvalue().strip() else {}
        return Pushed(code, out, stderr.getvalue(), time.monotonic() - started)

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
            answer = self.omie(path, call, {"pagina": page, "registros_por_pagina": 100 + page})
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

    def warehouse(self, *statements: str) -> None:
        import duckdb

        con = duckdb.connect(str(self.project / "warehouse.duckdb"))
        try:
            for statement in statements:
                con.execute(statement)
        finally:
            con.close()


@pytest.fixture(scope="session")
def built_sample(sample_build) -> Path:
    """The sample project as `dbt build` left it (the session's one build); tests copy it."""
    assert sample_build.returncode == 0, sample_build.stdout[-3000:]
    return sample_build.dir


@pytest.fixture(autouse=True)
def _secret_env(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, SECRET)


@pytest.fixture
def sandbox(tmp_path):
    """The sandbox over real HTTP with the demo company's fixtures, on this test's state."""
    from omie_push.sandbox.testing import serve

    with serve({KEY: SECRET}, state_path=tmp_path / "sandbox.sqlite", fixtures=["demo"]) as url:
        yield url


@pytest.fixture
def rig(built_sample, sandbox, tmp_path) -> Rig:
    project = tmp_path / "dbt_project"
    shutil.copytree(built_sample, project)
    for leftover in ("omie_results.duckdb", "omie_results.duckdb.wal"):
        (project / leftover).unlink(missing_ok=True)
    r = Rig(project, sandbox)
    r.configure()
    return r
