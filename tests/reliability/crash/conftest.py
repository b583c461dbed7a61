"""Reliability fixtures: the sample dbt project built once by the real `dbt build`; for each trial
a fresh Omie sandbox served over real HTTP (its own state file, the demo's fixtures) and a fresh
results store; pushes run through the real CLI, in-process or in a child process that the test
SIGKILLs at a chosen instant.

`Sandbox.tap` is the test's instrument for "at a chosen instant": an ASGI wrapper around the
sandbox app that, on the Nth call of a chosen Omie method, signals the test before the call
reaches the simulator, after it committed but before its answer leaves, or just after the answer
left. The test then kills the push there. Every check of Omie's state goes through Omie's own
List and Consultar calls over HTTP.
"""
from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
DBT = Path(sys.executable).with_name("dbt")
KEY, SECRET = "4500000000011", "reliability-secret-never-printed"
SECRET_ENV = "RELIABILITY_OMIE_APP_SECRET"
TARGET = """
target: trial
results_path: {results}
targets:
  trial:
    base_url: {url}
    app_key: "{key}"
    app_secret: "{{{{ env_var('{env}') }}}}"
    timeout_seconds: {timeout}
    max_attempts: {attempts}
    breaker_threshold: 1000
    lot_size: 5
    budgets: {{calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000,
               redundant_window_seconds: 0.3}}
"""

# endpoint -> (path, List call, array, key of a listed record)
LISTINGS = {
    "categorias": ("geral/categorias/", "ListarCategorias", "categoria_cadastro",
                   lambda r: f"{r.get('categoria_superior')}|{r.get('descricao')}"),
    "projetos": ("geral/projetos/", "ListarProjetos", "cadastro", lambda r: r.get("codInt")),
    "vendedores": ("geral/vendedores/", "ListarVendedores", "cadastro", lambda r: r.get("codInt")),
    "clientes": ("geral/clientes/", "ListarClientes", "clientes_cadastro",
                 lambda r: r.get("codigo_cliente_integracao")),
    "contas_receber": ("financas/contareceber/", "ListarContasReceber", "conta_receber_cadastro",
                       lambda r: r.get("codigo_lancamento_integracao")),
    "contas_pagar": ("financas/contapagar/", "ListarContasPagar", "conta_pagar_cadastro",
                     lambda r: r.get("codigo_lancamento_integracao")),
    "contratos": ("servicos/contrato/", "ListarContratos", "contratoCadastro",
                  lambda r: (r.get("cabecalho") or {}).get("cCodIntCtr")),
}


def pytest_collection_modifyitems(config, items):
    """The long variants run with `-m long` or RELIABILITY_LONG=1 (`make test-long` sets it)."""
    if "long" in (config.getoption("markexpr") or "") or os.environ.get("RELIABILITY_LONG") == "1":
        return
    chosen = [i for i in items if i.get_closest_marker("long") is None]
    if len(chosen) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i.get_closest_marker("long")])
        items[:] = chosen


def dbt_build(project: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
    done = subprocess.run([str(DBT), "build", "--profiles-dir", ".", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]


class Tap:
    """ASGI wrapper: on the `n`th call of `call`, signal `hit` at `phase` ("before": before the
    simulator sees it; "held": after it committed, its answer held back; "after": once the
    answer left) and, for before/held, hold the call until the test ends it."""

    def __init__(self, app):
        self.app = app
        self.arm(None, 0, "held")
        self.seen: Counter = Counter()
        self.answers: Counter = Counter()       # HTTP status, REDUNDANT, dropped, late

    def arm(self, call: str | None, n: int, phase: str) -> None:
        self.call, self.n, self.phase = call, n, phase
        self.hit, self.released = threading.Event(), threading.Event()
        self.count = 0

    def release(self) -> None:
        self.released.set()
        self.call = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        try:
            name = json.loads(body or b"{}").get("call")
        except ValueError:
            name = None
        self.seen[name] += 1
        mine = self.call is not None and name == self.call and self._count() == self.n

        async def replay():
            return {"type": "http.request", "body": body, "more_body": False}

        if mine and self.phase == "before":
            await self._hold()
            return                               # never reaches Omie: the connection closes
        if not (mine and self.phase == "held"):
            await self._observed(scope, replay, send)
            if mine:
                self.hit.set()
            return
        held = []

        async def keep(message):
            held.append(message)

        await self.app(scope, replay, keep)      # the write commits; its answer is kept
        await self._hold()
        with contextlib.suppress(Exception):
            for message in held:
                await send(message)

    async def _observed(self, scope, receive, send):
        """Pass the call on, noting what Omie's side answered (for the fault figures)."""
        started = time.monotonic()

        async def noting(message):
            if message["type"] == "http.response.start":
                self.answers[message["status"]] += 1
            elif message["type"] == "http.response.body" and b"REDUNDANT" in message.get("body", b""):
                self.answers["REDUNDANT"] += 1
            await send(message)
        try:
            await self.app(scope, receive, noting)
        except Exception:
            self.answers["dropped"] += 1
            raise
        finally:
            if time.monotonic() - started > 1.0:
                self.answers["late (>1 s)"] += 1

    def _count(self) -> int:
        self.count += 1
        return self.count

    async def _hold(self) -> None:
        import asyncio

        self.hit.set()
        for _ in range(400):                     # the test kills the push meanwhile
            if self.released.is_set():
                return
            await asyncio.sleep(0.05)


@dataclass
class Sandbox:
    url: str                  # the push's door
    tap: Tap
    check_url: str            # the test's door (no injected faults)

    def call(self, path: str, call: str, param: dict) -> tuple[int, dict]:
        body = {"call": call, "app_key": KEY, "app_secret": SECRET, "param": [param]}
        answer = httpx.post(f"{self.check_url}/{path}", json=body, timeout=30)
        return answer.status_code, answer.json()

    def listing(self, endpoint: str) -> list[dict]:
        path, call, array, _ = LISTINGS[endpoint]
        records, page = [], 1
        while True:
            status, answer = self.call(path, call, {"pagina": page, "registros_por_pagina": 500})
            if status == 500 and "5113" in json.dumps(answer):     # Omie's "no records"
                return records
            assert status == 200, answer
            records += answer.get(array, [])
            if page >= int(answer.get("total_de_paginas") or 0):
                return records
            page += 1

    def keys(self) -> dict[str, Counter]:
        """Omie's records per endpoint, as a multiset of keys (duplicates show as counts > 1)."""
        return {ep: Counter(LISTINGS[ep][3](r) for r in self.listing(ep)) for ep in LISTINGS}


@contextlib.contextmanager
def _serving(app):
    import uvicorn

    from omie_push.sandbox.server import listening_socket

    sock = listening_socket("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", access_log=False,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "sandbox did not start"
            time.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/api/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextlib.contextmanager
def served_sandbox(faults: str | None = None, seed: int = 1, start: Path | None = None,
                   keep: Path | None = None):
    """A fresh sandbox over HTTP (demo fixtures), tapped; with `faults`, the push's door injects
    them while the test's checks go through a clean door on the same state. REDUNDANT names a
    1 s wait here (Omie: 60 s), so that a trial takes seconds. `start`: a state file saved by
    `keep` (a file copy of what an earlier sandbox held when it stopped) instead of a new one."""
    import dataclasses

    from omie_push.sandbox.app import create_app
    from omie_push.sandbox.traffic import TrafficConfig

    traffic = None
    if faults:
        traffic = dataclasses.replace(TrafficConfig.parse(limits="off", faults=faults, seed=seed),
                                      redundant_window_s=1.0)
    with tempfile.TemporaryDirectory(prefix="omie-reliability-") as tmp:
        state = str(Path(tmp) / "state.sqlite")
        if start is not None:
            shutil.copyfile(start, state)
        app = create_app({KEY: SECRET}, state, traffic=traffic, fixtures=["demo"])
        clean = create_app({KEY: SECRET}, state, fixtures=["demo"]) if faults else None
        tap = Tap(app)
        try:
            with _serving(tap) as url, (_serving(clean) if clean else contextlib.nullcontext(url)) as check:
                try:
                    yield Sandbox(url, tap, check)
                finally:
                    tap.release()
        finally:
            app.sandbox.store.close()
            if clean is not None:
                clean.sandbox.store.close()
        if keep is not None:                     # SQLite's own copy: the WAL's pages included
            with contextlib.closing(sqlite3.connect(state)) as src, \
                    contextlib.closing(sqlite3.connect(keep)) as dst:
                src.backup(dst)


@dataclass
class Outcome:
    exit_code: int
    out: dict
    text: str


@dataclass
class Project:
    """The built sample project with its own omie_push.yml per trial."""

    root: Path
    results: Path = field(default=None)

    def aim(self, url: str, results: Path, timeout: float = 5, attempts: int = 4) -> None:
        self.results = results
        (self.root / "omie_push.yml").write_text(TARGET.format(
            url=url, key=KEY, env=SECRET_ENV, results=results, timeout=timeout, attempts=attempts))

    def push(self, *args: str) -> Outcome:
        """One push through the CLI, in this process."""
        from omie_push.cli import main

        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                main(["--project-dir", str(self.root), "--json", *args], standalone_mode=False)
                code = 0
            except SystemExit as exc:
                code = exc.code
        text = stdout.getvalue() + stderr.getvalue()
        assert SECRET not in text
        out = json.loads(stdout.getvalue()) if stdout.getvalue().strip().startswith("{") else {}
        return Outcome(code, out, text)

    def spawn(self, *args: str) -> multiprocessing.Process:
        """One push through the CLI in a child process (forked from a clean forkserver); its
        exit code lands in `<results>.exit`."""
        ctx = multiprocessing.get_context("forkserver")
        exit_file = Path(f"{self.results}.exit")
        exit_file.unlink(missing_ok=True)
        child = ctx.Process(target=_child_push, args=(str(self.root), args, str(exit_file)),
                            daemon=True)
        child.start()
        child.exit_file = exit_file
        return child

    def results_rows(self, sql: str, *params) -> list[tuple]:
        import duckdb

        con = duckdb.connect(str(self.results), read_only=True)
        try:
            return con.execute(sql, list(params)).fetchall()
        finally:
            con.close()


def _child_push(root: str, args, exit_file: str) -> None:
    from omie_push.cli import main

    code = 0
    with open(f"{exit_file}.out", "w") as sink, contextlib.redirect_stdout(sink), \
            contextlib.redirect_stderr(sink):
        try:
            main(["--project-dir", root, "--json", *args], standalone_mode=False)
        except SystemExit as exc:
            code = exc.code
    Path(exit_file).write_text(str(code))


def kill(child: multiprocessing.Process) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=10)


# What a push imports on its way (some of it lazily, on first use): imported once in the
# forkserver, so that a killed child starts warm (a name that no longer imports is skipped).
PRELOAD = ["omie_push.cli", "omie_push.cli.push", "omie_push.push.run", "omie_push.push.companies",
           "omie_push.validate.engine", "omie_push.validate.gx_judge", "omie_push.dbt.project",
           "omie_push.dbt.profiles", "dbt.config.runtime", "dbt.adapters.factory",
           "dbt.adapters.duckdb", "duckdb", "polars", "pandas", "pyarrow.pandas_compat", "httpx",
           "great_expectations"]
LOT_SIZE = 5    # the sample's 16 receivables in 4 lots (its model says 50: one lot)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The sample project, built once, its receivables sent in lots of LOT_SIZE."""
    base = tmp_path_factory.mktemp("reliability")
    project = base / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns(
        "target", "logs", "*.duckdb", "*.duckdb.wal", ".omie-sandbox", ".user.yml"))
    models = project / "models" / "omie" / "_omie__models.yml"
    text = models.read_text()
    assert text.count("lot_size: 50") == 1, "the sample's lot size moved: update LOT_SIZE's edit"
    models.write_text(text.replace("lot_size: 50", f"lot_size: {LOT_SIZE}"))
    dbt_build(project)
    os.environ[SECRET_ENV] = SECRET
    multiprocessing.set_forkserver_preload(PRELOAD)
    return project


SMALL = (   # the sample, cut down in the warehouse's seed tables (the views read them lazily)
    "delete from main.raw_receivables where receivable_id not in "
    "(select receivable_id from main.raw_receivables order by receivable_id limit 16)",
    "delete from main.raw_payables where payable_id not in "
    "(select payable_id from main.raw_payables order by payable_id limit 8)",
    "delete from main.raw_contracts where contract_id not in "
    "(select contract_id from main.raw_contracts order by contract_id limit 3)",
    "delete from main.raw_contract_items where contract_id not in (select contract_id from main.raw_contracts)",
    "delete from main.raw_contract_departments where contract_id not in (select contract_id from main.raw_contracts)",
    "delete from main.raw_customers where cast(customer_id as varchar) not in ("
    "select cast(customer_id as varchar) from main.raw_receivables union "
    "select cast(supplier_id as varchar) from main.raw_payables union "
    "select cast(customer_id as varchar) from main.raw_contracts union "
    "select cast(customer_id as varchar) from main.raw_legacy_client_links)",
)


def shrink(project: Path) -> None:
    """Fewer rows, same shapes: each trial's pushes take seconds, not tens of seconds."""
    import duckdb

    con = duckdb.connect(str(project / "warehouse.duckdb"))
    try:
        for sql in SMALL:
            con.execute(sql)
    finally:
        con.close()


def cancel(project: Path, table: str, ids: list[str], cancelled: bool = True) -> None:
    """Cancel (or reopen) receivables/payables in the source, as a user would."""
    import duckdb

    column = "receivable_id" if table == "raw_receivables" else "payable_id"
    con = duckdb.connect(str(project / "warehouse.duckdb"))
    try:
        marks = ", ".join("?" for _ in ids)
        con.execute(f"update main.{table} set status = ? where {column} in ({marks})",
                    ["cancelado" if cancelled else "aberto", *ids])
    finally:
        con.close()


@pytest.fixture(scope="session")
def small(built, tmp_path_factory) -> Path:
    """A copy of the built project with a small warehouse."""
    project = tmp_path_factory.mktemp("small") / "dbt_project"
    shutil.copytree(built, project, ignore=shutil.ignore_patterns("omie_results.duckdb*", "logs"))
    shrink(project)
    return project


@pytest.fixture
def project(small) -> Project:
    return Project(small)


def ledger_keys(project: Project) -> dict[str, set]:
    rows = project.results_rows("select endpoint, key from ledger where company = ?", KEY)
    out: dict[str, set] = {}
    for endpoint, key in rows:
        out.setdefault(endpoint, set()).add(key)
    return out


@dataclass
class Reference:
    """What a clean push of the small project leaves: Omie's records and the ledger, and the
    files it left (the sandbox's state, the results store) for trials that start from there."""

    keys: dict[str, Counter]
    ledger: dict[str, set]
    views: dict[str, dict]
    state: Path
    results: Path

    def restore(self, results: Path) -> None:
        """This push's results store copied to `results` (pair with served_sandbox(start=state))."""
        shutil.copyfile(self.results, results)


def clean_reference(project: Project, tmp: Path, start: Reference | None = None) -> Reference:
    """One push on a fresh sandbox and results store (or on copies of `start`'s)."""
    state, results = tmp / "sandbox.sqlite", tmp / "reference.duckdb"
    with served_sandbox(start=start and start.state, keep=state) as sb:
        if start is not None:
            start.restore(results)
        project.aim(sb.url, results)
        run = project.push()
        assert run.exit_code in (0, 1) and "failed" not in json.dumps(
            {v: c.get("failed") for v, c in run.out["endpoints"].items() if c.get("failed")}), run.text
        keys = sb.keys()
    assert not Path(f"{results}.wal").exists(), "the results store was left open"
    return Reference(keys, ledger_keys(project), run.out["endpoints"], state, results)


@pytest.fixture(scope="session")
def reference(small, tmp_path_factory) -> Reference:
    return clean_reference(Project(small), tmp_path_factory.mktemp("reference"))


def pytest_sessionfinish(session, exitstatus):
    """RELIABILITY_FIGURES=path: the trials' and fault runs' figures as JSON (docs/reliability.md).
    Under pytest-xdist (`make test`) each worker holds its own tests' figures: each writes
    path.<worker> (gw0, gw1); run serially for one file."""
    path = os.environ.get("RELIABILITY_FIGURES")
    if not path:
        return
    if os.environ.get("PYTEST_XDIST_WORKER"):
        path = f"{path}.{os.environ['PYTEST_XDIST_WORKER']}"
    out = {}
    for name in ("test_crash_trials", "test_faults"):
        module = sys.modules.get(f"reliability.crash.{name}") or sys.modules.get(f"tests.reliability.crash.{name}")
        if module is not None:
            out[name] = module.FIGURES
    Path(path).write_text(json.dumps(out, indent=1, default=str))
