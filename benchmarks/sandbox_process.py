"""Run the Omie sandbox over real HTTP in its own process, for the benchmarks.

A separate process, so the sandbox and the sender do not share one interpreter lock: the
figures then measure the sender, not Python's GIL. It uses `omie_push.sandbox.testing.serve`
(uvicorn on a free port); the state is a temporary file removed at the end. Its companies hold
the `demo` fixture set (the bank accounts 4850011002/3 the benchmark rows name, and the two clients
typed in Omie), as every new sandbox company did before a new company started empty (issue 17),
so the figures stay comparable.

    with sandbox_process(limits="scale=10", latency_ms="5-15", faults=None, seed=1) as url:
        ...   # url = "http://127.0.0.1:PORT/api/v1"
"""
from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

ACCOUNTS = {"bench-key": "bench-secret"}

_CHILD = r"""
import json, sys
from omie_push.sandbox.testing import serve
accounts, traffic, state = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3] or None
fixtures = json.loads(sys.argv[4])
with serve(accounts, state_path=state, traffic=traffic, fixtures=fixtures) as url:
    print(url, flush=True)
    sys.stdin.read()          # until the parent closes our stdin
"""


@contextmanager
def sandbox_process(accounts: dict | None = None, state_path: str | None = None,
                    fixtures: tuple[str, ...] = ("demo",), **traffic) -> Iterator[str]:
    """Yield the API root of a sandbox served by a child process with these traffic options
    (`TrafficConfig.parse` keywords); `state_path` keeps the records for a later process;
    `fixtures`: the fixture sets its companies start with."""
    traffic = {k: v for k, v in traffic.items() if v is not None}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, json.dumps(accounts or ACCOUNTS),
                              json.dumps(traffic), str(state_path or ""), json.dumps(list(fixtures))],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = child.stdout.readline().strip()
        if not url.startswith("http"):
            raise RuntimeError("the sandbox process did not start")
        yield url
    finally:
        child.stdin.close()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
