"""One child process timed: wall seconds and its own peak RSS (os.wait4's rusage of that very
child, not RUSAGE_CHILDREN, which is the largest of every child waited for so far).

Also the floor: DuckDB -> Polars -> JSON lines of the same view into a file, in a child process,
what any tool must at least pay to read a view and write its rows out.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

OMIE_PUSH = str(Path(sys.executable).with_name("omie-push"))

_FLOOR = r"""
import sys, duckdb, polars as pl
warehouse, view, out = sys.argv[1:4]
con = duckdb.connect(warehouse, read_only=True)
frame = con.sql(f"select * from {view}").pl()
frame.write_ndjson(out)
print(frame.height)
"""


@dataclass
class Timed:
    code: int
    wall: float
    peak_mb: float
    stdout: str
    stderr: str

    def json(self) -> dict:
        """The last JSON object the child printed on stdout (omie-push --json prints one)."""
        start = self.stdout.find("{")
        return json.loads(self.stdout[start:]) if start >= 0 else {}


def timed(args: list[str], cwd: str | Path | None = None, env: dict | None = None,
          timeout: float = 1800) -> Timed:
    """Run `args`, wait for it with os.wait4, return its exit code, wall time and peak RSS."""
    out_path = Path(cwd or ".") / f".bench-out-{os.getpid()}.txt"
    err_path = out_path.with_suffix(".err")
    with open(out_path, "w") as out, open(err_path, "w") as err:
        started = time.perf_counter()
        child = subprocess.Popen(args, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out,
                                 stderr=err, stdin=subprocess.DEVNULL)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
            time.sleep(0.02)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    texts = out_path.read_text(), err_path.read_text()
    out_path.unlink()
    err_path.unlink()
    return Timed(child.returncode, wall, usage.ru_maxrss / 1024.0, *texts)


def floor(project: Path, view: str) -> Timed:
    """DuckDB -> Polars -> JSON lines of `view` into a file (removed afterwards)."""
    out = project / f"{view}.floor.jsonl"
    result = timed([sys.executable, "-c", _FLOOR, str(project / "warehouse.duckdb"), view, str(out)])
    out.unlink(missing_ok=True)
    if result.code:
        raise RuntimeError(f"the floor of {view} failed: {result.stderr[-2000:]}")
    return result


def omie_push(project: Path, *args: str, env: dict | None = None) -> Timed:
    """`omie-push ARGS --json` in the project folder (the console script of this venv)."""
    return timed([OMIE_PUSH, *args, "--json"], cwd=project, env=env)
