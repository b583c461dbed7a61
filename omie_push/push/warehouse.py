"""Reading an omie view from the warehouse of the dbt target into Polars.

The warehouse is attached READ_ONLY under the database name dbt gave it, read, and detached at
once: a DuckDB file has one writer, and an open reader would lock `dbt build` out. The results
file is attached as `omie_results`, so views that join the `omie_ids` model see the ids Omie
granted earlier in this same run (DuckDB views are evaluated when read).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import ProjectError

RESULTS_DB = "omie_results"


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
    """profiles.yml rendered as dbt renders it: Jinja with env_var(), DBT_PROJECT_DIR known."""
    import jinja2
    import yaml

    env = dict(os.environ)
    env.setdefault("DBT_PROJECT_DIR", str(project_dir))

    def env_var(name: str, default: str | None = None) -> str:
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise ProjectError(f"{path} needs the environment variable {name}. Fix: export {name}=...")

    text = jinja2.Environment().from_string(path.read_text(encoding="utf-8")).render(env_var=env_var)
    return yaml.safe_load(text) or {}


def duckdb_path(project) -> Path:
    """The DuckDB file of the dbt target the project was built with."""
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


def connect(results_path: Path | None, read_only: bool = False):
    """An in-memory DuckDB connection with the results file attached as `omie_results`.

    Read-only (for readers such as `omie-push validate`): the file is attached READ_ONLY, or,
    before any push made it, an empty in-memory stand-in with the same tables is attached, so
    views joining omie_ids still resolve and nothing is written.
    """
    import duckdb

    con = duckdb.connect()
    if results_path is not None and read_only and not Path(results_path).exists():
        from .ledger import DDL

        con.execute(f"attach ':memory:' as {RESULTS_DB}")
        con.execute(f"use {RESULTS_DB}")
        con.execute(DDL)
        con.execute("use memory")
        return con
    if results_path is not None:
        Path(results_path).parent.mkdir(parents=True, exist_ok=True)
        mode = " (read_only)" if read_only else ""
        try:
            con.execute(f"attach {_quote_str(str(results_path))} as {RESULTS_DB}{mode}")
        except duckdb.Error as exc:
            con.close()
            raise ProjectError(f"cannot open the results file {results_path}: {exc}. "
                               f"Fix: close whatever holds it (a notebook, another omie-push).") from None
    return con


def read_view(project, model, results_path: Path | None = None, con=None):
    """The model's relation as a Polars frame; the warehouse is attached only while reading."""
    own = con is None
    if own:
        from . import config

        con = connect(results_path or config.results_path_of(project.project_dir), read_only=True)
    try:
        with attached_warehouse(project, model, con):
            relation = _relation(model)
            import polars as pl

            return pl.from_arrow(con.sql(f"select * from {relation}").to_arrow_table())
    finally:
        if own:
            con.close()


def relation_exists(project, model, con) -> bool:
    """Whether the model's relation is in the warehouse (built by an earlier dbt invocation)."""
    with attached_warehouse(project, model, con):
        row = con.execute(
            "select count(*) from information_schema.tables "
            "where table_catalog = ? and table_schema = ? and table_name = ?",
            [model.database, model.schema, model.identifier]).fetchone()
        return bool(row and row[0])


class attached_warehouse:
    """Context manager: ATTACH the warehouse READ_ONLY as the manifest's database, then DETACH."""

    def __init__(self, project, model, con):
        self.project, self.model, self.con = project, model, con

    def __enter__(self):
        import duckdb

        path = duckdb_path(self.project)
        if not path.exists():
            raise ProjectError(f"the warehouse {path} does not exist. Fix: run `dbt build` first.")
        name = self.model.database or path.stem
        try:
            self.con.execute(f"attach {_quote_str(str(path))} as {_quote_id(name)} (read_only)")
        except duckdb.Error as exc:
            raise ProjectError(f"cannot open the warehouse {path} read-only: {exc}. "
                               f"Fix: wait for `dbt build` to finish, or close other connections.") from None
        self.name = name
        return self

    def __exit__(self, *exc):
        self.con.execute(f"detach {_quote_id(self.name)}")
        return False


def _relation(model) -> str:
    return ".".join(_quote_id(p) for p in (model.database, model.schema, model.identifier) if p)


def _quote_id(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
