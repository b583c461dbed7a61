"""Fixtures of the dbt project's tests: one real `dbt build` of a copy of dbt_project/ per session."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"
# What a fresh clone has: no build output, no warehouse, no results, no sandbox state.
NOT_COPIED = shutil.ignore_patterns("target", "logs", "*.duckdb", "*.duckdb.wal", ".omie-sandbox", ".user.yml")


def copy_project(dest: Path) -> Path:
    shutil.copytree(PROJECT, dest, ignore=NOT_COPIED)
    return dest


def dbt(args: list[str], cwd: Path, **env_changes: str | None) -> subprocess.CompletedProcess:
    """Run the dbt CLI of this virtualenv in a subprocess (dbt keeps global state in-process)."""
    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([str(DBT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=240)


@pytest.fixture
def run_dbt():
    """The dbt CLI in a subprocess: run_dbt(args, cwd, **env_changes)."""
    return dbt


@pytest.fixture
def fresh_project(tmp_path) -> Path:
    """A copy of dbt_project/ as a fresh clone has it, at <tmp>/dbt_project."""
    return copy_project(tmp_path / "dbt_project")


@pytest.fixture(scope="session")
def built_project(sample_build, tmp_path_factory) -> dict:
    """dbt_project/ after `cd <copy> && dbt build --profiles-dir .` (what the Makefile runs): the
    session's one build of the sample (tests/conftest.py), copied whole, since a test here writes
    to its results store."""
    project = sample_build.dir
    run_results = project / "target" / "run_results.json"
    assert run_results.exists(), (f"dbt build wrote no run_results.json:\n{sample_build.stdout[-3000:]}\n"
                                  f"{sample_build.stderr[-2000:]}")
    copy = tmp_path_factory.mktemp("dbt") / "dbt_project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("logs"))
    return {
        "build_dir": project,     # where dbt built it (read only)
        "dir": copy,              # a copy of it, for the tests that write its results store
        "returncode": sample_build.returncode,
        "stdout": sample_build.stdout,
        "run_results": json.loads(run_results.read_text()),
        "manifest": json.loads((project / "target" / "manifest.json").read_text()),
    }
