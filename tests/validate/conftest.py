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
def built_sample(sample_build, tmp_path_factory):
    """dbt_project/ after the real `dbt build --profiles-dir .` (as `make demo` runs): a copy of
    the session's one build of the sample."""
    return sample_build.copy_to(tmp_path_factory.mktemp("validate") / "dbt_project")
