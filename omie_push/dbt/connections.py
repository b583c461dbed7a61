"""A dbt target's rendered credentials -> the arguments of the driver omie-push reads it with.

One function per warehouse, each a pure mapping of dbt's field names (dbt-postgres,
dbt-snowflake, dbt-bigquery, dbt-redshift, dbt-databricks) onto the driver's; nothing here
connects. Which driver and why: docs/warehouses.md. A warehouse whose driver is not installed
gets one line naming the pip command (`missing_extra`).
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from ..errors import ProjectError

# adapter type -> (driver module, the extra that installs it)
DRIVERS = {
    "postgres": ("adbc_driver_postgresql", "postgres"),
    "snowflake": ("adbc_driver_snowflake", "snowflake"),
    "bigquery": ("adbc_driver_bigquery", "bigquery"),
    "redshift": ("redshift_connector", "redshift"),
    "databricks": ("databricks.sql", "databricks"),
}


@dataclass(frozen=True)
class DriverArgs:
    """How to open one warehouse: the driver module and what its connect() takes."""

    driver: str
    uri: str | None = field(default=None, repr=False)
    kwargs: dict[str, Any] = field(default_factory=dict, repr=False)   # may hold secrets


def driver_args(kind: str, creds: dict[str, Any], where: str) -> DriverArgs:
    """The driver and its arguments for a dbt output of adapter type `kind`."""
    mapping = MAPPINGS.get(kind)
    if mapping is None:
        known = ", ".join(["duckdb", *MAPPINGS])
        raise ProjectError(f"{where}: omie-push cannot read a {kind!r} warehouse; it reads {known}.")
    return mapping(creds, where)


def missing_extra(kind: str) -> str | None:
    """The one line to print when the driver of `kind` is not installed, else None."""
    module, extra = DRIVERS[kind]
    try:
        found = importlib.util.find_spec(module) is not None
    except ImportError:
        found = False
    if found:
        return None
    return (f"reading a {kind} warehouse needs its driver ({module}), which is not installed. "
            f"Fix: pip install \"omie-push[{extra}]\"")


def _need(creds: dict[str, Any], key: str, where: str, *aliases: str) -> Any:
    for name in (key, *aliases):
        if creds.get(name) not in (None, ""):
            return creds[name]
    raise ProjectError(f"{where}: the output has no `{key}`. Fix: set it in profiles.yml.")


def postgres(creds: dict[str, Any], where: str) -> DriverArgs:
    """A libpq URI (ADBC's PostgreSQL driver is libpq): host, port, user, password, dbname,
    and the connection options dbt-postgres knows."""
    user = quote(str(_need(creds, "user", where)), safe="")
    password = creds.get("password") or creds.get("pass")
    auth = f"{user}:{quote(str(password), safe='')}" if password else user
    host = _need(creds, "host", where)
    port = int(creds.get("port") or 5432)
    dbname = quote(str(_need(creds, "database", where, "dbname")), safe="")
    options = {key: creds[key] for key in ("sslmode", "sslcert", "sslkey", "sslrootcert",
                                            "connect_timeout", "keepalives_idle")
               if creds.get(key) not in (None, "", 0)}
    options["application_name"] = "omie-push"
    if creds.get("role"):
        options["options"] = f"-c role={creds['role']}"
    return DriverArgs("adbc_driver_postgresql", f"postgresql://{auth}@{host}:{port}/{dbname}?"
                      + urlencode(options))


SNOWFLAKE_AUTH = {            # dbt-snowflake `authenticator` -> ADBC's auth type
    None: "auth_snowflake", "snowflake": "auth_snowflake", "externalbrowser": "auth_ext_browser",
    "oauth": "auth_oauth", "snowflake_jwt": "auth_jwt", "jwt": "auth_jwt",
    "username_password_mfa": "auth_mfa",
}


def snowflake(creds: dict[str, Any], where: str) -> DriverArgs:
    """ADBC Snowflake database options from dbt-snowflake's fields."""
    sql = "adbc.snowflake.sql."
    opts = {"username": _need(creds, "user", where), sql + "account": _need(creds, "account", where),
            sql + "db": _need(creds, "database", where), sql + "schema": creds.get("schema")}
    for key in ("warehouse", "role"):
        if creds.get(key):
            opts[sql + key] = creds[key]
    auth = creds.get("authenticator")
    if creds.get("private_key_path") or creds.get("private_key"):
        auth = "snowflake_jwt"
    if auth not in SNOWFLAKE_AUTH and not str(auth).startswith("https://"):
        raise ProjectError(f"{where}: authenticator {auth!r} is not one omie-push maps "
                           f"({', '.join(k for k in SNOWFLAKE_AUTH if k)} or an Okta URL).")
    opts[sql + "auth_type"] = SNOWFLAKE_AUTH.get(auth, "auth_okta")
    if str(auth).startswith("https://"):
        opts[sql + "client_option.okta_url"] = auth
    client = sql + "client_option."
    if creds.get("password"):
        opts["password"] = creds["password"]
    if creds.get("token"):
        opts[client + "auth_token"] = creds["token"]
    if creds.get("private_key_path"):
        opts[client + "jwt_private_key"] = creds["private_key_path"]
    elif creds.get("private_key"):
        opts[client + "jwt_private_key_pkcs8_value"] = creds["private_key"]
    if creds.get("private_key_passphrase"):
        opts[client + "jwt_private_key_pkcs8_password"] = creds["private_key_passphrase"]
    opts[client + "app_name"] = "omie-push"
    return DriverArgs("adbc_driver_snowflake", None, {k: str(v) for k, v in opts.items() if v is not None})


def bigquery(creds: dict[str, Any], where: str) -> DriverArgs:
    """ADBC BigQuery database options from dbt-bigquery's `method` and its fields."""
    sql = "adbc.bigquery.sql."
    project = _need(creds, "project", where, "database")
    opts = {sql + "project_id": creds.get("execution_project") or project,
            sql + "dataset_id": creds.get("dataset") or creds.get("schema")}
    method = creds.get("method") or "oauth"
    if method == "service-account":
        opts[sql + "auth_type"] = sql + "auth_type.json_credential_file"
        opts[sql + "auth_credentials"] = _need(creds, "keyfile", where)
    elif method == "service-account-json":
        import json

        keyfile = _need(creds, "keyfile_json", where)
        opts[sql + "auth_type"] = sql + "auth_type.json_credential_string"
        opts[sql + "auth_credentials"] = keyfile if isinstance(keyfile, str) else json.dumps(keyfile)
    elif method == "oauth-secrets":
        opts[sql + "auth_type"] = sql + "auth_type.user_authentication"
        for key in ("client_id", "client_secret", "refresh_token"):
            opts[sql + "auth." + key] = _need(creds, key, where)
    elif method == "oauth":
        opts[sql + "auth_type"] = sql + "auth_type.auth_bigquery"   # gcloud's default credentials
    else:
        raise ProjectError(f"{where}: method {method!r} is not one omie-push maps "
                           f"(oauth, oauth-secrets, service-account, service-account-json).")
    if creds.get("location"):
        opts[sql + "location"] = creds["location"]
    return DriverArgs("adbc_driver_bigquery", None, {k: str(v) for k, v in opts.items() if v is not None})


def redshift(creds: dict[str, Any], where: str) -> DriverArgs:
    """redshift_connector.connect() keywords from dbt-redshift's fields (database or IAM)."""
    kwargs = {"host": _need(creds, "host", where), "port": int(creds.get("port") or 5439),
              "database": _need(creds, "database", where, "dbname"), "user": creds.get("user"),
              "application_name": "omie-push"}
    if (creds.get("method") or "database") == "iam":
        kwargs.update(iam=True, db_user=creds.get("user"), cluster_identifier=creds.get("cluster_id"),
                      profile=creds.get("iam_profile"), region=creds.get("region"))
        kwargs.pop("user")
    else:
        kwargs["password"] = creds.get("password") or creds.get("pass")
    if creds.get("sslmode"):
        kwargs["sslmode"] = creds["sslmode"]
    return DriverArgs("redshift_connector", None, {k: v for k, v in kwargs.items() if v is not None})


def databricks(creds: dict[str, Any], where: str) -> DriverArgs:
    """databricks.sql.connect() keywords from dbt-databricks' fields (a personal access token)."""
    host = str(_need(creds, "host", where)).removeprefix("https://").rstrip("/")
    kwargs = {"server_hostname": host, "http_path": _need(creds, "http_path", where),
              "catalog": creds.get("catalog") or creds.get("database"), "schema": creds.get("schema"),
              "user_agent_entry": "omie-push"}
    if not creds.get("token"):
        raise ProjectError(f"{where}: omie-push reads Databricks with a personal access token "
                           f"only: set `token` in profiles.yml.")
    kwargs["access_token"] = creds["token"]
    return DriverArgs("databricks.sql", None, {k: v for k, v in kwargs.items() if v is not None})


MAPPINGS = {"postgres": postgres, "snowflake": snowflake, "bigquery": bigquery,
            "redshift": redshift, "databricks": databricks}
