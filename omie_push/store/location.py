"""Where a project's results live, from its dbt warehouse and omie_push.yml.

    results_in: file | warehouse     # default: file for a DuckDB warehouse, warehouse otherwise
    results_schema: omie_push        # the warehouse's schema for them (default omie_push)
    results_path: omie_results.duckdb

dbt must read the results (the `omie_results` source, `omie_ids`, the Excluir views), so beside
a DuckDB warehouse they are a DuckDB file dbt attaches, and beside any other warehouse they are
a schema of that warehouse. omie-push writes them in PostgreSQL; for the other warehouses it
reads views but keeps no results there yet (`results_in: file` is the way out, without
`omie_ids`).
"""
from __future__ import annotations

from pathlib import Path

from ..dbt import connections, profiles
from ..errors import UsageError
from .backend import PostgresResults, check_schema_name

DEFAULT_SCHEMA = "omie_push"
CHOICES = ("file", "warehouse")


def results_of(project, results_path: Path, results_in: str | None = None,
               results_schema: str | None = None) -> Path | PostgresResults:
    """The DuckDB results file, or the PostgreSQL schema the results are kept in."""
    wh = profiles.warehouse(project)
    where = f"{project.project_dir / 'omie_push.yml'}"
    if results_in not in (None, *CHOICES):
        raise UsageError(f"{where}: results_in must be file or warehouse, not {results_in!r}.")
    chosen = results_in or ("file" if wh.type == "duckdb" else "warehouse")
    if chosen == "file":
        return results_path
    if wh.type != "postgres":
        raise UsageError(f"{where}: omie-push keeps its results in a DuckDB file or a PostgreSQL "
                         f"warehouse; {wh.where} is {wh.type}. Fix: set `results_in: file` in "
                         f"omie_push.yml (dbt then cannot read omie_ids from the warehouse).")
    schema = check_schema_name(results_schema or DEFAULT_SCHEMA, where)
    args = connections.driver_args("postgres", wh.credentials, wh.where)
    return PostgresResults(args.uri, schema, wh.where)
