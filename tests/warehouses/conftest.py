"""A real PostgreSQL server for the warehouse tests: the one `OMIE_PUSH_TEST_POSTGRES_URL` names,
else a private cluster started for the test session (Debian's `initdb`/`pg_ctl` in a temporary
folder, on a free port, as the `postgres` user since PostgreSQL refuses to run as root).

Without a server the tests skip on a developer's machine and FAIL under CI (`CI` set): a CI
that silently skipped them would claim PostgreSQL works when nothing ran.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

PG_BIN = Path(os.environ.get("OMIE_PUSH_TEST_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))


@dataclass(frozen=True)
class PostgresServer:
    """Where the test server listens; `url` is a libpq URI (postgresql://user@host:port/db)."""

    host: str
    port: int
    user: str
    password: str
    dbname: str

    @property
    def url(self) -> str:
        auth = f"{self.user}:{self.password}" if self.password else self.user
        return f"postgresql://{auth}@{self.host}:{self.port}/{self.dbname}"

    def env(self) -> dict[str, str]:
        """The variables the demo's `postgres` target reads (dbt_project/profiles.yml)."""
        return {"OMIE_PG_HOST": self.host, "OMIE_PG_PORT": str(self.port), "OMIE_PG_USER": self.user,
                "OMIE_PG_PASSWORD": self.password, "OMIE_PG_DATABASE": self.dbname}

    def create_database(self, name: str) -> "PostgresServer":
        """A fresh database on this server (each test module gets its own)."""
        import psycopg2

        con = psycopg2.connect(self.url)
        con.autocommit = True
        try:
            with con.cursor() as cur:
                cur.execute(f'drop database if exists "{name}"')
                cur.execute(f'create database "{name}"')
        finally:
            con.close()
        return PostgresServer(self.host, self.port, self.user, self.password, name)


def _unavailable(why: str):
    if os.environ.get("CI"):
        pytest.fail(f"no PostgreSQL server for the warehouse tests: {why}", pytrace=False)
    pytest.skip(f"no PostgreSQL server: {why}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL binary as the `postgres` user when we are root (initdb refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, **kwargs)


def _from_url(url: str) -> PostgresServer:
    parts = urlsplit(url)
    return PostgresServer(parts.hostname or "127.0.0.1", parts.port or 5432, parts.username or "postgres",
                          parts.password or "", (parts.path or "/postgres").lstrip("/") or "postgres")


class PrivateCluster:
    """initdb + pg_ctl start in a temporary folder owned by postgres; stop removes it all."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="omie-push-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.started = False

    def start(self) -> PostgresServer:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(f"{PG_BIN}/initdb not found (apt-get install postgresql)")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        done = _as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U",
                            "postgres", "-E", "UTF8", "--locale=C.UTF-8")
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()[-500:]}")
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
                   f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        done = _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                            "-l", str(self.folder / "server.log"), "start")
        if done.returncode != 0:
            log = (self.folder / "server.log")
            raise RuntimeError(f"pg_ctl start failed: {done.stderr.strip()[-300:]} "
                               f"{log.read_text()[-500:] if log.exists() else ''}")
        self.started = True
        server = PostgresServer("127.0.0.1", self.port, "postgres", "", "postgres")
        _wait_ready(server)
        return server

    def stop(self) -> None:
        if self.started:
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def _wait_ready(server: PostgresServer, seconds: float = 30) -> None:
    import psycopg2

    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg2.connect(server.url, connect_timeout=3).close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for the session (given by OMIE_PUSH_TEST_POSTGRES_URL or private)."""
    try:
        import psycopg2  # noqa: F401  (the dev extra installs it with dbt-postgres)
    except ImportError:
        _unavailable("psycopg2 is not installed (pip install -e '.[dev]')")
    url = os.environ.get("OMIE_PUSH_TEST_POSTGRES_URL")
    if url:
        server = _from_url(url)
        try:
            _wait_ready(server, seconds=5)
        except Exception as exc:
            _unavailable(f"OMIE_PUSH_TEST_POSTGRES_URL does not answer: {exc}")
        yield server
        return
    cluster = PrivateCluster()
    try:
        server = cluster.start()
    except Exception as exc:
        cluster.stop()
        _unavailable(str(exc))
    try:
        yield server
    finally:
        cluster.stop()


@pytest.fixture
def pg_database(postgres_server, request):
    """A fresh database for one test."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return postgres_server.create_database(name)
