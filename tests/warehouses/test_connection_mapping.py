"""The other warehouses (no server here): each output of a profiles.yml, rendered by dbt's own
profile renderer (env_var included), maps onto its driver's connect arguments; a warehouse
whose driver is missing gets one line naming the pip command."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from omie_push.dbt import connections, profiles, remote
from omie_push.dbt.profiles import Warehouse
from omie_push.errors import ProjectError

PROFILES = """
acme:
  target: sf
  outputs:
    sf:
      type: snowflake
      account: "{{ env_var('SF_ACCOUNT') }}"
      user: loader
      password: "{{ env_var('SF_PASSWORD') }}"
      role: transformer
      database: analytics
      warehouse: compute_wh
      schema: dbt_omie
      threads: 4
    sf_key:
      type: snowflake
      account: xy12345.sa-east-1.aws
      user: loader
      private_key_path: /keys/rsa_key.p8
      private_key_passphrase: "{{ env_var('SF_KEY_PASS') }}"
      database: analytics
      schema: dbt_omie
    bq:
      type: bigquery
      method: service-account
      project: acme-data
      dataset: dbt_omie
      keyfile: "{{ env_var('BQ_KEYFILE') }}"
      location: southamerica-east1
    bq_oauth:
      type: bigquery
      method: oauth
      project: acme-data
      dataset: dbt_omie
    rs:
      type: redshift
      host: acme.abc123.sa-east-1.redshift.amazonaws.com
      port: 5439
      user: loader
      password: "{{ env_var('RS_PASSWORD') }}"
      dbname: analytics
      schema: dbt_omie
    rs_iam:
      type: redshift
      method: iam
      cluster_id: acme
      host: acme.abc123.sa-east-1.redshift.amazonaws.com
      user: loader
      iam_profile: data
      region: sa-east-1
      dbname: analytics
      schema: dbt_omie
    dbx:
      type: databricks
      host: "https://adb-123.4.azuredatabricks.net/"
      http_path: /sql/1.0/warehouses/abc
      token: "{{ env_var('DBX_TOKEN') }}"
      catalog: main
      schema: dbt_omie
"""


@pytest.fixture
def rendered(tmp_path, monkeypatch):
    (tmp_path / "profiles.yml").write_text(PROFILES)
    for name, value in {"SF_ACCOUNT": "xy12345.sa-east-1.aws", "SF_PASSWORD": "sf-pw",
                        "SF_KEY_PASS": "key-pw", "BQ_KEYFILE": "/keys/bq.json",
                        "RS_PASSWORD": "rs-pw", "DBX_TOKEN": "dapi-token"}.items():
        monkeypatch.setenv(name, value)

    def output(target):
        name, creds = profiles.render_output(tmp_path / "profiles.yml", "acme", target)
        assert name == target
        return connections.driver_args(creds["type"], creds, f"profiles.yml {target}")
    return output


def test_snowflake_password_and_key_pair(rendered):
    args = rendered("sf")
    assert args.driver == "adbc_driver_snowflake"
    assert args.kwargs["adbc.snowflake.sql.account"] == "xy12345.sa-east-1.aws"
    assert args.kwargs["password"] == "sf-pw" and args.kwargs["username"] == "loader"
    assert args.kwargs["adbc.snowflake.sql.auth_type"] == "auth_snowflake"
    assert (args.kwargs["adbc.snowflake.sql.db"], args.kwargs["adbc.snowflake.sql.schema"],
            args.kwargs["adbc.snowflake.sql.warehouse"], args.kwargs["adbc.snowflake.sql.role"]) == \
        ("analytics", "dbt_omie", "compute_wh", "transformer")
    key = rendered("sf_key").kwargs
    assert key["adbc.snowflake.sql.auth_type"] == "auth_jwt"
    assert key["adbc.snowflake.sql.client_option.jwt_private_key"] == "/keys/rsa_key.p8"
    assert key["adbc.snowflake.sql.client_option.jwt_private_key_pkcs8_password"] == "key-pw"
    assert "password" not in key


def test_bigquery_service_account_and_gcloud_default(rendered):
    args = rendered("bq")
    assert args.driver == "adbc_driver_bigquery"
    assert args.kwargs["adbc.bigquery.sql.project_id"] == "acme-data"
    assert args.kwargs["adbc.bigquery.sql.dataset_id"] == "dbt_omie"
    assert args.kwargs["adbc.bigquery.sql.auth_type"] == "adbc.bigquery.sql.auth_type.json_credential_file"
    assert args.kwargs["adbc.bigquery.sql.auth_credentials"] == "/keys/bq.json"
    assert rendered("bq_oauth").kwargs["adbc.bigquery.sql.auth_type"] == \
        "adbc.bigquery.sql.auth_type.auth_bigquery"


def test_redshift_password_and_iam(rendered):
    args = rendered("rs")
    assert args.driver == "redshift_connector"
    assert args.kwargs == {"host": "acme.abc123.sa-east-1.redshift.amazonaws.com", "port": 5439,
                           "database": "analytics", "user": "loader", "password": "rs-pw",
                           "application_name": "omie-push"}
    iam = rendered("rs_iam").kwargs
    assert iam["iam"] is True and iam["cluster_identifier"] == "acme" and iam["db_user"] == "loader"
    assert iam["profile"] == "data" and "password" not in iam


def test_databricks_token(rendered):
    args = rendered("dbx")
    assert args.driver == "databricks.sql"
    assert args.kwargs["server_hostname"] == "adb-123.4.azuredatabricks.net"
    assert args.kwargs["http_path"] == "/sql/1.0/warehouses/abc"
    assert args.kwargs["access_token"] == "dapi-token"
    assert (args.kwargs["catalog"], args.kwargs["schema"]) == ("main", "dbt_omie")


def test_postgres_uri_quotes_the_password():
    args = connections.driver_args("postgres", {"host": "db", "port": 5433, "user": "omie",
                                                "password": "p@ss/w:rd", "database": "dw",
                                                "sslmode": "require"}, "x")
    assert args.uri.startswith("postgresql://omie:p%40ss%2Fw%3Ard@db:5433/dw?")
    assert "sslmode=require" in args.uri


def test_a_missing_driver_is_one_line_naming_the_pip_command(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "adbc_driver_snowflake" else real(name, *a))
    wh = Warehouse("snowflake", "sf", "acme", Path("profiles.yml"), {"type": "snowflake"})
    with pytest.raises(ProjectError) as caught:
        remote.open_connection(wh)
    message = str(caught.value)
    assert 'pip install "omie-push[snowflake]"' in message and "\n" not in message
    model = SimpleNamespace(name="omie_clientes", schema="s", identifier="omie_clientes", database="d")
    with pytest.raises(ProjectError, match=r"omie-push\[snowflake\]"):
        list(remote.read_batches(wh, model, 10))


def test_a_warehouse_omie_push_does_not_read_is_named():
    with pytest.raises(ProjectError, match="cannot read a 'oracle' warehouse"):
        connections.driver_args("oracle", {}, "profiles.yml")


def test_relations_are_named_as_each_warehouse_names_them():
    model = SimpleNamespace(database="analytics", schema="dbt_omie", identifier="omie_clientes")
    assert remote.relation("postgres", model) == '"dbt_omie"."omie_clientes"'
    assert remote.relation("redshift", model) == '"dbt_omie"."omie_clientes"'
    assert remote.relation("snowflake", model) == "analytics.dbt_omie.omie_clientes"
    assert remote.relation("bigquery", model) == "`analytics`.`dbt_omie`.`omie_clientes`"
    assert remote.relation("databricks", model) == "`analytics`.`dbt_omie`.`omie_clientes`"


def test_a_driver_error_never_carries_the_profiles_secrets():
    error = RuntimeError("auth failed for loader with password sf-pw-123 at xy12345\nmore")
    line = remote._first_line(error, {"password": "sf-pw-123", "user": "loader"})
    assert line == "auth failed for loader with password *** at xy12345"
