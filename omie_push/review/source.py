"""Where a project's results are, and the one way to read them: open read-only, read, close.

DuckDB lets one process write a file, and an open reader keeps the writer out: a notebook that
held the file would stop `omie-push` writing it (and `dbt build` taking its snapshot).
So every read here opens the file, runs its queries and closes it before returning. While a
push or a build holds the file, a read waits a little, then says so plainly.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import ProjectError

PROJECT_ENV = "OMIE_PUSH_PROJECT_DIR"   # the notebooks' default project, when no --project-dir
BUSY_WAIT_SECONDS = 3.0


class ResultsBusy(ProjectError):
    """The results file is being written (a push or a dbt build holds it)."""


@dataclass(frozen=True)
class Results:
    """The results file of one dbt project, as omie_push.yml names it (or, beside a PostgreSQL
    warehouse, its results schema: `warehouse`, a store.backend.PostgresResults)."""

    project_dir: Path
    path: Path
    warehouse: Any = None

    @property
    def exists(self) -> bool:
        return self.warehouse is not None or self.path.exists()

    def no_run_message(self) -> str:
        where = self.warehouse or self.path
        return (f"No run yet: {where} does not hold any omie-push run. "
                f"Run `dbt build` then `omie-push` in {self.project_dir} first.")


def project_dir_of(project_dir: str | Path | None = None) -> Path:
    """The dbt project: the one given, else $OMIE_PUSH_PROJECT_DIR, else as omie-push finds
    it (the current folder, or ./dbt_project)."""
    from ..dbt.project import find_project_dir

    return find_project_dir(project_dir or os.environ.get(PROJECT_ENV) or None)


def default_project(notebook_dir: str | Path | None) -> Path | None:
    """A notebook's project when none is named: $OMIE_PUSH_PROJECT_DIR, the current folder or
    ./dbt_project (None: let `locate` find them), else the sample project beside the notebooks."""
    if os.environ.get(PROJECT_ENV):
        return None
    for candidate in (Path.cwd(), Path.cwd() / "dbt_project"):
        if (candidate / "dbt_project.yml").exists():
            return None
    return Path(notebook_dir).parent / "dbt_project" if notebook_dir else None


def locate(project_dir: str | Path | None = None) -> Results:
    """The project's results file, from omie_push.yml exactly as the push resolves it."""
    from ..push.config import results_path_of

    folder = project_dir_of(project_dir)
    path = results_path_of(folder)
    return Results(folder, path, _in_warehouse(folder, path))


def _in_warehouse(folder: Path, path: Path):
    """The PostgreSQL results schema when that is where the push keeps them (the dbt target, as
    the push chooses it, is on PostgreSQL; $DBT_TARGET names another), else None."""
    from ..dbt.profiles import type_hint
    from ..dbt.project import DbtProject
    from ..errors import OmiePushError
    from ..push.config import results_settings_of
    from ..store.location import results_of

    try:
        project = DbtProject(folder)
        settings = results_settings_of(folder)
        if settings[0] != "warehouse" and type_hint(project) in ("duckdb", None):
            return None    # the file, without loading dbt (a second or two)
        found = results_of(project, path, *settings)
    except OmiePushError:
        return None        # the file's message ("no run yet") is then the one to give
    return None if isinstance(found, Path) else found


@contextmanager
def reading(results: Results, wait_seconds: float | None = None) -> Iterator[Any]:
    """A read-only DuckDB connection to the results file, closed on leaving the block.

    Callers read everything they need inside the block and return plain frames: nothing
    keeps the file open after it. Raises ResultsBusy when a writer holds it past the wait.
    """
    import duckdb

    if results.warehouse is not None:
        from ..store.pg_snapshot import copy_into

        con = duckdb.connect()
        try:
            copy_into(results.warehouse, con)
            yield con
        finally:
            con.close()
        return
    deadline = time.monotonic() + (BUSY_WAIT_SECONDS if wait_seconds is None else wait_seconds)
    while True:
        try:
            con = duckdb.connect(str(results.path), read_only=True)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise ProjectError(f"cannot read the results file {results.path}: {exc}") from None
            if time.monotonic() >= deadline:
                raise ResultsBusy(
                    f"{results.path} is being written right now (a push or a dbt build holds "
                    f"it). Read it again when that ends.") from None
            time.sleep(0.2)
    try:
        yield con
    finally:
        con.close()


def frame(con, sql: str, params: list[Any] | None = None):
    """One query's rows as a Polars frame (DuckDB hands them over through Arrow)."""
    import polars as pl

    return pl.from_arrow(con.sql(sql, params=params or None).to_arrow_table())


def tables_of(con) -> dict[str, set[str]]:
    """The tables of the results file and their columns (the store grows; readers adapt)."""
    rows = con.execute("select table_name, column_name from information_schema.columns "
                       "where table_schema = 'main'").fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    return found
