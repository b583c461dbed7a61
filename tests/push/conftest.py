"""A small dbt project on disk, made by hand: dbt's artifacts (manifest, run results) and a
DuckDB warehouse whose omie views are real DuckDB views. Unit tests of the pusher read it
without running dbt (the e2e tests run the real `dbt build`)."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

PROFILES = """
demo:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('DBT_PROJECT_DIR', '.') }}/warehouse.duckdb"
"""
OMIE_PUSH_YML = """
target: sandbox
targets:
  sandbox: {base_url: embedded, app_key: test-key, app_secret: test-secret-xyz,
            sandbox_state: .omie-sandbox/state.sqlite}
"""


class FakeDbtProject:
    """Writes dbt_project.yml, profiles.yml, omie_push.yml, target/*.json and the warehouse."""

    def __init__(self, root: Path):
        self.root = root
        self.nodes: dict[str, dict] = {}
        self.results: list[dict] = []
        root.mkdir(parents=True, exist_ok=True)
        (root / "dbt_project.yml").write_text("name: demo\nprofile: demo\n")
        (root / "profiles.yml").write_text(PROFILES)
        (root / "omie_push.yml").write_text(OMIE_PUSH_YML)
        self.warehouse = root / "warehouse.duckdb"

    def sql(self, *statements: str) -> None:
        con = duckdb.connect(str(self.warehouse))
        con.execute(f"attach '{self.root / 'omie_results.duckdb'}' as omie_results")
        con.execute("create table if not exists omie_results.main.ledger (company varchar, endpoint varchar,"
                    " key varchar, payload_hash varchar, omie_id varchar, answer json, run_id varchar,"
                    " accepted_at timestamp, primary key (company, endpoint, key))")
        for s in statements:
            con.execute(s)
        con.close()

    def model(self, name: str, select_sql: str, endpoint: str | None = None, status: str | None = "success",
              meta: dict | None = None, failed_test: bool = False) -> None:
        """A view `name` in the warehouse and its manifest node (meta.omie.endpoint if given)."""
        self.sql(f"create or replace view warehouse.main.{name} as {select_sql}")
        omie = dict(meta or {})
        if endpoint:
            omie["endpoint"] = endpoint
        uid = f"model.demo.{name}"
        self.nodes[uid] = {"resource_type": "model", "name": name, "database": "warehouse",
                           "schema": "main", "alias": name, "config": {"meta": {"omie": omie} if omie else {}},
                           "depends_on": {"nodes": []}}
        if status:
            self.results.append({"unique_id": uid, "status": status})
        if failed_test:
            tid = f"test.demo.not_null_{name}"
            self.nodes[tid] = {"resource_type": "test", "name": f"not_null_{name}",
                               "depends_on": {"nodes": [uid]}}
            self.results.append({"unique_id": tid, "status": "fail"})
        self.write_artifacts()

    def write_artifacts(self) -> None:
        target = self.root / "target"
        target.mkdir(exist_ok=True)
        (target / "manifest.json").write_text(json.dumps({"nodes": self.nodes}))
        (target / "run_results.json").write_text(json.dumps({"results": self.results}))


@pytest.fixture
def fake_project(tmp_path, monkeypatch):
    monkeypatch.delenv("DBT_PROJECT_DIR", raising=False)
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)
    monkeypatch.delenv("DBT_TARGET", raising=False)
    return FakeDbtProject(tmp_path / "proj")
