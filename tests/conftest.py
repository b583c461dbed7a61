"""Shared test settings, and the one build of the sample dbt project the suites share. Each area
keeps its own fixtures in its own folder's conftest.py."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("MARIMO_SKIP_UPDATE_CHECK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")
# What a fresh clone of dbt_project/ has: no build output, no warehouse, no results, no sandbox state.
FRESH_CLONE = shutil.ignore_patterns("target", "logs", "*.duckdb", "*.duckdb.wal", ".omie-sandbox",
                                     ".user.yml")


@dataclass(frozen=True)
class SampleBuild:
    """dbt_project/ copied as a fresh clone has it and built by the real `dbt build --profiles-dir .`
    (what `make demo` runs first). `dir` is the build itself: read it, never change it; a test or
    fixture that pushes, rebuilds or edits takes its own `copy_to(dest)` (warehouse, results
    store and dbt's artifacts, as the build left them)."""

    dir: Path
    returncode: int
    stdout: str
    stderr: str

    def copy_to(self, dest: Path) -> Path:
        assert self.returncode == 0, f"dbt build of the sample failed:\n{self.stdout[-3000:]}\n{self.stderr[-2000:]}"
        shutil.copytree(self.dir, dest, ignore=shutil.ignore_patterns("logs"))
        return dest


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> SampleBuild:
    """The sample project built once for the whole run. Under pytest-xdist the workers share it:
    the first to get here builds it in the run's common temporary folder (the other waits on a
    file lock), and the other reads what it wrote."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent                 # pytest-of-<user>/pytest-<n>/, shared by the workers
    home = base / "sample-build"
    record = home / "build.json"
    home.mkdir(exist_ok=True)
    with open(base / "sample-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            project = home / "dbt_project"
            shutil.copytree(ROOT / "dbt_project", project, ignore=FRESH_CLONE)
            env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
            done = subprocess.run([str(DBT), "build", "--profiles-dir", "."], cwd=project, env=env,
                                  capture_output=True, text=True, timeout=300)
            record.write_text(json.dumps({"returncode": done.returncode, "stdout": done.stdout,
                                          "stderr": done.stderr}))
        built = json.loads(record.read_text())
    return SampleBuild(home / "dbt_project", built["returncode"], built["stdout"], built["stderr"])



# pytest-xdist (`make test` runs `-n 2 --dist loadgroup`): the tests of one area share session
# fixtures (a build, a served sandbox, a pushed project, a PostgreSQL cluster) and some follow
# one another's steps, so each area's tests run on one worker, in collection order. The crash
# suites' tests are independent of one another (each on its own sandbox and results store, from
# the same session fixtures): they are spread over both workers, one test at a time, after the
# areas (xdist hands out the largest units first). The areas are given here by path rather than
# by xdist_group marks: pytest 9.2 ignores the node ids xdist 3.8 rewrites for those marks.
SPREAD = ("reliability/crash/test_crash_trials.py", "reliability/crash/test_cases.py",
          "reliability/crash/test_faults.py")


def xdist_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: its area (tests/<area>/), a module of its own for the
    top-level files and tests/reliability's, the test itself for the crash suites."""
    path = nodeid.split("::", 1)[0].removeprefix("tests/")
    if path in SPREAD:
        return nodeid
    if "/" not in path or path.startswith("reliability/"):
        return path
    return path.split("/", 1)[0]


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class AreaScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.rfind("@") > nodeid.rfind("]"):       # an xdist_group mark, should xdist see it
                return super()._split_scope(nodeid)
            return xdist_unit(nodeid)

    return AreaScheduling(config, log)
