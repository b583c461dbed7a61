"""Reading a PostgreSQL view through the dbt profile: the target as dbt chooses it, the
credentials as dbt renders them, NUMERIC exact and JSON as text, in batches."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import polars as pl
import pytest

from omie_push.dbt import profiles, remote
from omie_push.dbt.project import DbtProject
from omie_push.errors import ProjectError

PROFILES = """
demo:
  target: dev
  outputs:
    dev: {type: duckdb, path: warehouse.duckdb}
    pg:
      type: postgres
      host: "{{ env_var('T_PG_HOST', '127.0.0.1') }}"
      port: "{{ env_var('T_PG_PORT') | as_number }}"
      user: postgres
      password: "{{ env_var('T_PG_PASSWORD', '') }}"
      dbname: "{{ env_var('T_PG_DB') }}"
      schema: analytics
      threads: 1
"""


@pytest.fixture
def project(tmp_path, pg_database, monkeypatch):
    (tmp_path / "dbt_project.yml").write_text("name: demo\nversion: '1'\nconfig-version: 2\nprofile: demo\n")
    (tmp_path / "profiles.yml").write_text(PROFILES)
    monkeypatch.setenv("T_PG_PORT", str(pg_database.port))
    monkeypatch.setenv("T_PG_DB", pg_database.dbname)
    monkeypatch.delenv("DBT_TARGET", raising=False)
    import psycopg2

    con = psycopg2.connect(pg_database.url)
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute("create schema analytics")
        cur.execute("create view analytics.omie_x as select 'K' || i as key, "
                    "cast(i * 1.25 as numeric(15, 2)) as amount, cast(i as numeric) as loose, "
                    "jsonb_build_array(jsonb_build_object('tag', 'T' || i)) as tags, "
                    "array['a', 'b'] as letters from generate_series(1, 7) as i")
        cur.execute("create view analytics.omie_empty as select * from analytics.omie_x where false")
    con.close()
    return tmp_path


def model(name):
    return SimpleNamespace(name=name, schema="analytics", identifier=name, database="ignored")


def test_the_target_is_chosen_as_dbt_chooses_it(project, monkeypatch, pg_database):
    assert profiles.warehouse(DbtProject(project)).type == "duckdb"          # the profile's default
    monkeypatch.setenv("DBT_TARGET", "pg")
    wh = profiles.warehouse(DbtProject(project))
    assert (wh.type, wh.target) == ("postgres", "pg")
    assert wh.credentials["port"] == pg_database.port                        # env_var, as_number
    assert wh.credentials["database"] == pg_database.dbname                  # dbt's alias dbname
    assert profiles.warehouse(DbtProject(project, target="dev")).type == "duckdb"   # --dbt-target wins
    assert "password" not in repr(wh)


def test_rows_arrive_in_batches_with_numeric_exact_and_json_as_text(project):
    wh = profiles.warehouse(DbtProject(project, target="pg"))
    batches = list(remote.read_batches(wh, model("omie_x"), 3))
    assert [b.num_rows for b in batches] == [3, 3, 1]
    frame = pl.concat([pl.from_arrow(b) for b in batches])
    assert frame.schema["amount"] == pl.Decimal(15, 2)
    assert frame["amount"].to_list()[:2] == [Decimal("1.25"), Decimal("2.50")]
    assert frame.schema["loose"] == pl.Float64
    assert frame.schema["tags"] == pl.String
    assert frame["tags"][0] == '[{"tag": "T1"}]'
    assert frame["letters"][0].to_list() == ["a", "b"]


def test_an_empty_view_still_has_its_columns(project):
    wh = profiles.warehouse(DbtProject(project, target="pg"))
    batches = list(remote.read_batches(wh, model("omie_empty"), 3))
    assert len(batches) == 1 and batches[0].num_rows == 0
    assert batches[0].schema.names == ["key", "amount", "loose", "tags", "letters"]
    assert remote.relation_exists(wh, model("omie_x"))
    assert not remote.relation_exists(wh, model("omie_never_built"))


def test_a_view_never_built_and_a_wrong_password_are_clear_errors(project, monkeypatch):
    wh = profiles.warehouse(DbtProject(project, target="pg"))
    with pytest.raises(ProjectError, match="omie_never_built.*dbt build --select omie_never_built"):
        list(remote.read_batches(wh, model("omie_never_built"), 3))
    monkeypatch.setenv("T_PG_PORT", "1")
    wh = profiles.warehouse(DbtProject(project, target="pg"))
    with pytest.raises(ProjectError, match="cannot connect.*dbt debug --target pg"):
        list(remote.read_batches(wh, model("omie_x"), 3))
