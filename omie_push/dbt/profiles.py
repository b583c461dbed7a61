"""The dbt profile of the project: where profiles.yml is, and which warehouse its target names.

Found as dbt finds it (--profiles-dir, $DBT_PROFILES_DIR, the project, the current folder,
~/.dbt) and rendered with the same env_var() renderer as omie_push.yml, DBT_PROJECT_DIR known.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import ProjectError, UsageError
from .render import render


def profiles_file(project) -> Path:
    """profiles.yml as dbt finds it: --profiles-dir, $DBT_PROFILES_DIR, the project, cwd, ~/.dbt."""
    candidates = [project.profiles_dir, os.environ.get("DBT_PROFILES_DIR"), project.project_dir,
                  Path.cwd(), Path.home() / ".dbt"]
    for folder in candidates:
        if folder and (Path(folder) / "profiles.yml").exists():
            return Path(folder) / "profiles.yml"
    raise ProjectError(f"no profiles.yml for the dbt project {project.project_dir}. "
                       f"Fix: pass --profiles-dir or set DBT_PROFILES_DIR.")


def render_profiles(path: Path, project_dir: Path) -> dict[str, Any]:
    """profiles.yml rendered as dbt renders it: env_var() known, DBT_PROJECT_DIR set."""
    import yaml

    env = dict(os.environ)
    env.setdefault("DBT_PROJECT_DIR", str(project_dir))
    try:
        text = render(path.read_text(encoding="utf-8"), str(path), env)
    except UsageError as exc:
        raise ProjectError(str(exc)) from None
    return yaml.safe_load(text) or {}


def target_output(project) -> tuple[Path, str, dict[str, Any]]:
    """(profiles.yml, target name, the target's output) of the profile the project names."""
    path = profiles_file(project)
    profiles = render_profiles(path, project.project_dir)
    profile_name = project.config.get("profile")
    profile = profiles.get(profile_name)
    if not isinstance(profile, dict):
        raise ProjectError(f"{path} has no profile {profile_name!r} (dbt_project.yml `profile`).")
    target = project.target or os.environ.get("DBT_TARGET") or profile.get("target")
    output = (profile.get("outputs") or {}).get(target)
    if not isinstance(output, dict):
        raise ProjectError(f"{path}: profile {profile_name!r} has no output {target!r}.")
    return path, str(target), output


def duckdb_path(project) -> Path:
    """The DuckDB file of the dbt target the project was built with."""
    path, target, output = target_output(project)
    if output.get("type") != "duckdb":
        raise ProjectError(f"{path}: target {target!r} is {output.get('type')!r}; omie-push reads "
                           f"DuckDB warehouses only for now.")
    db = str(output.get("path") or "")
    if not db or db == ":memory:":
        raise ProjectError(f"{path}: target {target!r} needs a DuckDB file `path`, not {db or 'none'!r}.")
    db_path = Path(db)
    if not db_path.is_absolute():
        # dbt-duckdb resolves it against the folder dbt ran in: the project, as `make demo` does.
        db_path = project.project_dir / db_path
    return db_path.resolve()
