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
from typing import Any, Iterator, Mapping

DEFAULT_ACCOUNTS = {"sandbox-key": "sandbox-secret"}


@contextmanager
def serve(accounts: Mapping[str, str] | None = None, state_path: str | Path | None = None,
          traffic: Any = None, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the sandbox until the block ends; yields the API root (`.../api/v1`).

    `traffic`: None (no limits, no latency, no faults), a `TrafficConfig`, or a dict of
    `TrafficConfig.parse` options such as {"limits": "real", "seed": 1}.
    `state_path`: the state file (default: a temporary one, removed afterwards).
    """
    import uvicorn

    from .app import create_app
    from .traffic import TrafficConfig
    from .server import listening_socket

    if isinstance(traffic, dict):
        traffic = TrafficConfig.parse(**traffic)
    with tempfile.TemporaryDirectory(prefix="omie-sandbox-") as tmp:
        state = str(state_path) if state_path else str(Path(tmp) / "state.sqlite")
        app = create_app(accounts or DEFAULT_ACCOUNTS, state, traffic=traffic)
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
