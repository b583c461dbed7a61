"""A dbt-duckdb plugin: dbt reads the results store without holding it.

profiles.yml (the sample project's):

    plugins:
      - module: omie_push.store.dbt_plugin
        config: {results_path: "{{ env_var('DBT_PROJECT_DIR', '.') }}/omie_results.duckdb"}

When dbt opens its connection, the plugin creates the results file and its tables if this is a
fresh clone, then attaches an in-memory database as `omie_results` holding a copy of the file's
tables, taken through a read-only attach that is detached at once. dbt then builds from that
snapshot for as long as it likes while a push goes on writing the file (a DuckDB file has one
writer and, while it writes, no reader): the push waits milliseconds, never the whole build.
A push holding its write at the instant dbt opens is waited for (store.results.ResultsFile).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from .results import RESULTS_DB, ResultsFile
from .schema import DDL, TABLES

SNAPSHOT_FROM = "omie_results_file"


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        path = plugin_config.get("results_path")
        if not path:
            raise ValueError("omie_push.store.dbt_plugin needs config results_path "
                             "(the omie_results.duckdb file beside the dbt project)")
        self.path = Path(path)
        self.wait_seconds = float(plugin_config.get("wait_seconds", 600))

    def configure_connection(self, conn) -> None:
        results = ResultsFile(self.path, wait_seconds=self.wait_seconds)
        if not self.path.exists():
            results.create()
        snapshot(conn, results)


def snapshot(conn, results: ResultsFile) -> None:
    """Attach `omie_results` on `conn` as an in-memory copy of the results file's tables."""
    conn.execute(f"attach ':memory:' as {RESULTS_DB}")
    current = conn.execute("select current_database()").fetchone()[0]
    conn.execute(f"use {RESULTS_DB}")
    conn.execute(DDL)
    conn.execute(f"use {current}")
    with results.connection(read_only=True) as source:
        present = {r[0] for r in source.execute(
            "select table_name from information_schema.tables where table_catalog = ?",
            [RESULTS_DB]).fetchall()}
        frames = {t: source.sql(f"select * from {t}").to_arrow_table() for t in TABLES if t in present}
    for table, frame in frames.items():
        conn.register("_omie_results_copy", frame)
        try:
            conn.execute(f"insert into {RESULTS_DB}.main.{table} by name select * from _omie_results_copy")
        finally:
            conn.unregister("_omie_results_copy")
