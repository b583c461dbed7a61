"""The sandbox over real HTTP for tests: uvicorn in a background thread on a free port.

    with serve() as base_url:          # e.g. "http://127.0.0.1:54321/api/v1"
        httpx.post(f"{base_url}/geral/clientes/", json={...})

Used by the contract tests and by other parts' end-to-end tests.
"""
from __future__ import annotations

import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

DEFAULT_ACCOUNTS = {"sandbox-key": "sandbox-secret"}


@contextmanager
def serve(accounts: Mapping[str, Any] | None = None, state_path: str | Path | None = None,
          traffic: Any = None, host: str = "127.0.0.1", *,
          fixtures: Iterable[str] = ()) -> Iterator[str]:
    """Serve the sandbox until the block ends; yields the API root (`.../api/v1`).

    `accounts`: app_key -> app_secret, or app_key -> a spec dict (`accounts.accounts_of`:
    app_secret, razao_social, cnpj, nome_fantasia, fixtures).
    `traffic`: None (no limits, no latency, no faults), a `TrafficConfig`, or a dict of
    `TrafficConfig.parse` options such as {"limits": "real", "seed": 1}.
    `state_path`: the state file (default: a temporary one, removed afterwards).
    `fixtures`: fixture sets loaded into every company once, e.g. ["demo"].
    The admin routes (`admin(api_root, ...)`) are served beside `/api/v1`.
    """
    import uvicorn

    from .app import create_app
    from .traffic import TrafficConfig
    from .server import listening_socket

    if isinstance(traffic, dict):
        traffic = TrafficConfig.parse(**traffic)
    with tempfile.TemporaryDirectory(prefix="omie-sandbox-") as tmp:
        state = str(state_path) if state_path else str(Path(tmp) / "state.sqlite")
        app = create_app(accounts or DEFAULT_ACCOUNTS, state, traffic=traffic, fixtures=fixtures)
        sock = listening_socket(host, 0)
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                               lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 10
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError("the sandbox did not start")
                time.sleep(0.01)
            yield f"http://{host}:{port}/api/v1"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            sock.close()
            app.sandbox.store.close()


def admin(api_root: str, op: str, app_key: str, app_secret: str, **request: Any) -> dict:
    """Call an admin route of a served sandbox (docs/sandbox.md, "A person in Omie's screens"):
    `admin(url, "suspend", "K", "S")`, `admin(url, "edit", "K", "S", endpoint="clientes",
    code="CLI-1", changes={"razao_social": "Novo"})`. Raises on an error answer."""
    import httpx

    root = api_root.rstrip("/").removesuffix("/api/v1")
    answer = httpx.post(f"{root}/_sandbox/{op}", json={"app_key": app_key, "app_secret": app_secret,
                                                       **request}, timeout=30)
    if answer.status_code != 200:
        raise RuntimeError(f"sandbox admin {op}: HTTP {answer.status_code} {answer.text}")
    return answer.json()
