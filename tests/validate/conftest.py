"""Fixtures of the validation tests. GX takes ~2 s to import: the `gx` fixture pays it once."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def gx():
    """The GX judge module (importing it imports GX and registers the custom expectations)."""
    from omie_push.validate import gx_judge

    return gx_judge


@pytest.fixture(scope="session")
def validate(gx):
    """validate_view, with GX loaded once for the session."""
    from omie_push.validate import validate_view

    return validate_view


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory):
    """A copy of dbt_project/ after the real `dbt build --profiles-dir .` (as `make demo` runs)."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "dbt_project"
    project = tmp_path_factory.mktemp("validate") / "dbt_project"
    shutil.copytree(source, project, ignore=shutil.ignore_patterns(
        "target", "logs", "*.duckdb", "*.duckdb.wal", ".omie-sandbox", ".user.yml"))
    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
    done = subprocess.run([str(Path(sys.executable).with_name("dbt")), "build", "--profiles-dir", "."],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert (project / "target" / "run_results.json").exists(), done.stdout[-3000:]
    return project
