"""The notebooks as a person uses them, on the demo: a copy of the sample dbt project built by
the real `dbt build` and pushed by `omie-push` to the embedded sandbox (what `make demo` does),
the notebooks run as scripts, exported, and served by `marimo run` to headless Chromium
(Debian's package, driven by Playwright; `make browser` installs it, and `make test` runs
that first)."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
BIN = Path(sys.executable).parent
CHROMIUM = Path(os.environ.get("OMIE_PUSH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update"]
IGNORE = shutil.ignore_patterns("target", "logs", "*.duckdb", "*.duckdb.wal", ".omie-sandbox",
                                ".user.yml")


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items()
           if k not in ("DBT_PROJECT_DIR", "OMIE_PUSH_PROJECT_DIR", "DBT_TARGET")}
    out.update(MARIMO_SKIP_UPDATE_CHECK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    return out


def run(args: list, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env(), capture_output=True,
                          text=True, timeout=timeout)


def dbt_build(project: Path, *args: str) -> None:
    done = run([BIN / "dbt", "build", "--profiles-dir", ".", *args], project)
    assert done.returncode == 0, done.stdout[-3000:]


def omie_push(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`omie-push` in the project, as `make demo` runs it (exit 1: the sample's bad rows)."""
    done = run([BIN / "omie-push", *args], project)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    return done


@pytest.fixture(scope="session")
def demo(sample_build, tmp_path_factory) -> Path:
    """`make demo` in a copy of dbt_project: dbt build (the session's one build of the sample,
    copied), then omie-push to the embedded sandbox."""
    project = sample_build.copy_to(tmp_path_factory.mktemp("demo") / "dbt_project")
    omie_push(project)
    return project


def copy_of(project: Path, dest: Path) -> Path:
    """A built and pushed project, copied whole (warehouse, results, sandbox state)."""
    shutil.copytree(project, dest)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path
    log: str = field(default="")

    def read_log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def marimo_run(notebook: Path, project: Path, log_dir: Path) -> Iterator[Server]:
    """`marimo run NOTEBOOK -- --project-dir PROJECT` on 127.0.0.1, stopped on leaving."""
    import httpx

    port = free_port()
    log_path = log_dir / f"marimo-{notebook.stem}-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(BIN / "marimo"), "run", str(notebook), "--host", "127.0.0.1", "--port", str(port),
             "--headless", "--no-token", "--", "--project-dir", str(project)],
            cwd=ROOT, env=env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}/", process, log_path)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"marimo run exited {process.returncode}:\n{server.read_log()[-3000:]}")
            try:
                if httpx.get(server.url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"marimo run did not answer on {server.url}:\n{server.read_log()[-3000:]}")
            time.sleep(0.3)
        yield server
    finally:
        stop(process)
        server.log = server.read_log()


def stop(process: subprocess.Popen) -> None:
    """End the server we started, and its session's children (its own process group)."""
    import signal

    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Playwright (no browser download)."""
    if not CHROMIUM.exists():
        message = (f"{CHROMIUM} is missing: `make browser` installs Debian's chromium "
                   f"(`make test` runs it first)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()
