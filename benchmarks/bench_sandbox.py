"""The sandbox in its own process (uvicorn on a loopback port), with a counter in front of it:
what the sandbox SAW, per call, and how many 429 / REDUNDANT / 425 answers it gave. The
benchmarks read the counts from `GET {root}/_bench/counts`; nobody has to trust the client's
own figures.

    with counting_sandbox(limits="real", state_path=None) as (api_root, counts):
        ...
        counts()   # {"calls": {"UpsertCliente": 12}, "429": 0, "REDUNDANT": 0, "425": 0, ...}
"""
from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

import httpx

ACCOUNTS = {"bench-key": "bench-secret"}

_CHILD = r"""
import json, sys, threading, time
import uvicorn
from omie_push.sandbox.app import create_app
from omie_push.sandbox.server import listening_socket
from omie_push.sandbox.traffic import TrafficConfig

accounts, traffic, state = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
traffic = TrafficConfig.parse(**traffic) if traffic else None
inner = create_app(accounts, state, traffic=traffic, fixtures=("demo",))
counts = {"calls": {}, "429": 0, "REDUNDANT": 0, "425": 0, "other_errors": 0,
          "first": None, "first_425": None}

async def counted(scope, receive, send):
    if scope["type"] != "http":
        return await inner(scope, receive, send)
    if scope["path"] == "/_bench/counts":
        body = json.dumps(counts).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        return await send({"type": "http.response.body", "body": body})
    chunks = []
    async def recv():
        message = await receive()
        chunks.append(message.get("body", b""))
        return message
    status, out = [0], []
    async def snd(message):
        if message["type"] == "http.response.start":
            status[0] = message["status"]
        elif message["type"] == "http.response.body":
            out.append(message.get("body", b""))
        await send(message)
    await inner(scope, recv, snd)
    try:
        call = json.loads(b"".join(chunks)).get("call", "?")
    except ValueError:
        call = "?"
    now = time.monotonic()
    counts["first"] = counts["first"] or now
    counts["calls"][call] = counts["calls"].get(call, 0) + 1
    text = b"".join(out)
    if status[0] == 429:
        counts["429"] += 1
    elif status[0] == 425:
        counts["425"] += 1
        counts["first_425"] = counts["first_425"] or now
    elif b"REDUNDANT" in text:
        counts["REDUNDANT"] += 1
    elif status[0] >= 400:
        counts["other_errors"] += 1

sock = listening_socket("127.0.0.1", 0)
server = uvicorn.Server(uvicorn.Config(counted, log_level="warning", access_log=False, lifespan="off"))
threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
while not server.started:
    time.sleep(0.01)
print(f"http://127.0.0.1:{sock.getsockname()[1]}/api/v1", flush=True)
sys.stdin.read()                 # until the parent closes our stdin
server.should_exit = True
time.sleep(0.5)
inner.sandbox.store.close()
"""


@contextmanager
def counting_sandbox(state_path: str, **traffic) -> Iterator[tuple[str, Callable[[], dict]]]:
    """Serve a sandbox (state in `state_path`, Omie's limits as `traffic` says: e.g.
    limits="real"; none given: no limits) in a child process; yield (api_root, counts)."""
    traffic = {k: v for k, v in traffic.items() if v is not None}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, json.dumps(ACCOUNTS), json.dumps(traffic),
                              state_path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = child.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError("the bench sandbox process did not start")
        root = url.removesuffix("/api/v1")
        yield url, lambda: httpx.get(f"{root}/_bench/counts", timeout=30).json()
    finally:
        child.stdin.close()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
