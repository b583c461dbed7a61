"""The dbt profile of the project: which target is chosen and the warehouse its output names,
rendered by dbt itself (env_var, defaults, the adapter's own credential fields).

profiles.yml is found as dbt finds it (--profiles-dir, $DBT_PROFILES_DIR, the project, the
current folder, ~/.dbt); the target is the one dbt would use (--dbt-target, $DBT_TARGET, the
profile's `target`). dbt's `load_profile` renders the output into the adapter's credentials;
when that adapter is not installed (a warehouse dbt itself could not run here) dbt's profile
renderer still gives the rendered mapping, so the error can name what to install.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ProjectError


@dataclass(frozen=True)
class Warehouse:
    """The warehouse of the chosen dbt target, as dbt rendered it."""

    type: str                      # the adapter: duckdb, postgres, snowflake, bigquery, ...
    target: str                    # the dbt target's name
    profile: str                   # the profile's name (dbt_project.yml `profile`)
    profiles_yml: Path
    credentials: dict[str, Any] = field(repr=False)   # rendered; may hold a password

    @property
    def where(self) -> str:
        return f"{self.profiles_yml}: profile {self.profile!r}, target {self.target!r} ({self.type})"


def profiles_file(project) -> Path:
    """profiles.yml as dbt finds it: --profiles-dir, $DBT_PROFILES_DIR, the project, cwd, ~/.dbt."""
    candidates = [project.profiles_dir, os.environ.get("DBT_PROFILES_DIR"), project.project_dir,
                  Path.cwd(), Path.home() / ".dbt"]
    for folder in candidates:
        if folder and (Path(folder) / "profiles.yml").exists():
            return Path(folder) / "profiles.yml"
    raise ProjectError(f"no profiles.yml for the dbt project {project.project_dir}. "
                       f"Fix: pass --profiles-dir or set DBT_PROFILES_DIR.")


def chosen_target(project) -> str | None:
    """The target as dbt chooses it: --dbt-target, then $DBT_TARGET; None = the profile's."""
    return project.target or os.environ.get("DBT_TARGET") or None


_RENDERED: dict[tuple, Warehouse] = {}


def warehouse(project) -> Warehouse:
    """The project's warehouse, rendered by dbt once per profiles.yml, target and environment
    (a run reads many views; dbt's profile loading takes about a second)."""
    path = profiles_file(project)
    key = (str(path), path.stat().st_mtime_ns, str(project.project_dir), chosen_target(project),
           hash(frozenset(os.environ.items())))
    if key not in _RENDERED:
        _RENDERED.clear()
        _RENDERED[key] = _load(project, path)
    return _RENDERED[key]


def _load(project, path: Path) -> Warehouse:
    profile_name = str(project.config.get("profile") or "")
    fast = _duckdb_without_dbt(project, path, profile_name)
    if fast is not None:
        return fast
    name, output = render_output(path, profile_name, chosen_target(project))
    kind = str(output.get("type") or "")
    if not _adapter_installed(kind):
        # dbt could not run this target here either; the reader names the extra to install
        return Warehouse(kind, name, profile_name, path, output)
    profile = _dbt_profile(path.parent, project.project_dir, name)
    credentials = dict(profile.credentials.to_dict(omit_none=False))
    credentials.setdefault("type", profile.credentials.type)
    return Warehouse(str(profile.credentials.type), str(profile.target_name),
                     str(profile.profile_name), path, credentials)


def _duckdb_without_dbt(project, path: Path, profile_name: str) -> Warehouse | None:
    """A DuckDB target rendered by omie-push's own env_var renderer (dbt.render): its `path`
    is all omie-push reads of it, and loading dbt's profile machinery costs 2-3 s of imports,
    half of a run where nothing changed (issue 16). Anything else in the profile (another
    type, a Jinja function beyond env_var, a missing variable) is left to dbt's loading."""
    import yaml

    from .render import render, render_tree

    try:
        profile = yaml.safe_load(path.read_text(encoding="utf-8"))[profile_name]
        target = chosen_target(project) or render(str(profile.get("target") or "default"), str(path))
        output = profile["outputs"][target]
        if render(str(output.get("type") or ""), str(path)) != "duckdb":
            return None
        rendered = render_tree(output, f"{path}: {profile_name}.outputs.{target}")
    except Exception:  # noqa: BLE001 - dbt's own loading says what is wrong, in dbt's words
        return None
    return Warehouse("duckdb", str(target), profile_name, path, {**rendered, "type": "duckdb"})


def _adapter_installed(kind: str) -> bool:
    import importlib.util

    try:
        return bool(kind) and importlib.util.find_spec(f"dbt.adapters.{kind}") is not None
    except (ImportError, ValueError):
        return False


def _dbt_profile(profiles_dir: Path, project_dir: Path, target: str | None):
    """dbt's own profile loading: flags first (where profiles.yml is), then load_profile."""
    from argparse import Namespace

    from dbt.exceptions import DbtProfileError, DbtProjectError, DbtRuntimeError
    from dbt.flags import set_from_args

    _invocation_context()
    set_from_args(Namespace(profiles_dir=str(profiles_dir), target=target), None)
    from dbt.config.runtime import load_profile

    try:
        return load_profile(str(project_dir), {}, None, target, None)
    except (DbtProfileError, DbtProjectError, DbtRuntimeError) as exc:
        text = str(exc)
        raise ProjectError(f"dbt could not load the profile in {profiles_dir / 'profiles.yml'}: "
                           f"{' '.join(text.split())}") from None


def render_output(path: Path, profile_name: str, target: str | None) -> tuple[str, dict[str, Any]]:
    """(target name, the output) of a profile, rendered by dbt's profile renderer (env_var and
    all) without loading the adapter: for warehouses whose dbt adapter is not installed."""
    from dbt.config.profile import read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.exceptions import DbtBaseException

    _invocation_context()
    try:
        raw = read_profile(str(path.parent))
        profile = raw.get(profile_name)
        if not isinstance(profile, dict):
            raise ProjectError(f"{path} has no profile {profile_name!r} (dbt_project.yml `profile`).")
        renderer = ProfileRenderer({})
        name = target or renderer.render_value(profile.get("target") or "default")
        output = (profile.get("outputs") or {}).get(name)
        if not isinstance(output, dict):
            raise ProjectError(f"{path}: profile {profile_name!r} has no output {name!r}.")
        return str(name), renderer.render_data(output)
    except DbtBaseException as exc:
        raise ProjectError(f"{path}: {' '.join(str(exc).split())}") from None


def _invocation_context() -> None:
    """dbt's env_var() reads the environment from its invocation context: set it as dbt does."""
    from dbt_common.context import set_invocation_context

    set_invocation_context(dict(os.environ))


def type_hint(project) -> str | None:
    """The chosen output's `type`, read without dbt (fast: for readers that only need to know
    whether the warehouse is DuckDB, such as `omie-push runs`); None when it cannot tell."""
    import yaml

    from .render import render

    try:
        path = profiles_file(project)
        env = {**os.environ, "DBT_PROJECT_DIR": str(project.project_dir)}
        profile = yaml.safe_load(path.read_text(encoding="utf-8"))[str(project.config.get("profile"))]
        target = chosen_target(project) or render(str(profile.get("target") or "default"), str(path), env)
        return render(str(profile["outputs"][target]["type"]), str(path), env)
    except Exception:  # noqa: BLE001 - only a hint: dbt's own loading says what is wrong
        return None


def duckdb_path(project) -> Path:
    """The DuckDB file of the dbt target the project was built with."""
    wh = warehouse(project)
    if wh.type != "duckdb":
        raise ProjectError(f"{wh.where} is not a DuckDB warehouse.")
    db = str(wh.credentials.get("path") or "")
    if not db or db == ":memory:":
        raise ProjectError(f"{wh.where} needs a DuckDB file `path`, not {db or 'none'!r}.")
    db_path = Path(db)
    if not db_path.is_absolute():
        # dbt-duckdb resolves it against the folder dbt ran in: the project, as `make demo` does.
        db_path = project.project_dir / db_path
    return db_path.resolve()
