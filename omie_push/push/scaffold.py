"""The files `omie-push init` writes into a dbt project, as texts: omie_push.yml, the results
source and the `omie_ids` model, the macros, and a starter view (+ schema YAML) per endpoint.

Only texts here (the command writes them, never over an existing file). The results tables macro
is `store.schema.dbt_macro()`, so the tables dbt creates are the pusher's; the starter views come
from the catalog (`catalog.starter`).

How dbt reads the results without the profile changing: the `omie_ids` model's pre-hook (and
the project's on-run-start, when init writes dbt_project.yml) runs `omie_push_attach_results()`,
which ATTACHes the results file READ_ONLY as `omie_results` unless the profile attached it
already, first creating it with empty tables on a fresh project.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .. import catalog
from ..catalog import starter
from ..store.schema import dbt_macro
from .config import CONFIG_FILE, DEFAULT_RESULTS

SANDBOX_KEY = "9100000000001"

OMIE_PUSH_YML = f"""\
# omie-push's configuration for this dbt project (written by `omie-push init`), shaped like
# dbt's profiles.yml: `target` names the default; pick another with `omie-push --target omie`.
# Secrets only through env_var, never in this file (omie-push refuses a literal one).
target: sandbox

# What Omie accepted (the ledger), the run history and every row's outcome; dbt reads it as the
# source omie_results (macros/omie_push_attach_results.sql attaches it read-only).
results_path: {DEFAULT_RESULTS}

targets:
  sandbox:
    # The Omie sandbox inside omie-push: no server, no account. A new sandbox company holds what
    # a new Omie app does (the petty-cash account 4850011001, default categories); its records
    # stay in the state file, so a second push sees what the first created.
    base_url: embedded
    app_key: "{{{{ env_var('OMIE_SANDBOX_APP_KEY', '{SANDBOX_KEY}') }}}}"
    app_secret: "{{{{ env_var('OMIE_SANDBOX_APP_SECRET', 'sandbox-secret-not-a-real-one') }}}}"
    sandbox_state: .omie-sandbox/state.sqlite

  # The real Omie: export OMIE_APP_KEY and OMIE_APP_SECRET (Omie's developer portal), then
  # `omie-push debug --target omie` and `omie-push --target omie --dry-run`.
  # omie:
  #   base_url: https://app.omie.com.br/api/v1
  #   app_key: "{{{{ env_var('OMIE_APP_KEY') }}}}"
  #   app_secret: "{{{{ env_var('OMIE_APP_SECRET') }}}}"
  #   timeout_seconds: 60
  #   max_attempts: 5
  #   budgets:                  # lower these to leave room for other integrations on the key
  #     calls_per_minute_per_method: 240
  #     calls_per_minute_per_ip: 960
"""

ATTACH_MACRO = """\
{#-
  Written by `omie-push init`. Makes the results file omie-push writes readable by dbt as the
  database `omie_results`, with no change to profiles.yml: ATTACHed READ_ONLY (so a push can
  write it once dbt is done), and on a fresh project first created with its empty tables.
  Nothing happens when the profile already attaches it as omie_results.
  The file is omie_push.yml's results_path, relative to this project (var omie_results_path).
-#}
{% macro omie_push_attach_results(path=none) %}
  {% if execute and target.type == 'duckdb' %}
    {% set file = path or var('omie_results_path', 'omie_results.duckdb') %}
    {% if not (file.startswith('/') or file[1:3] == ':\\\\') %}
      {% set file = (invocation_args_dict.get('project_dir') or '.') ~ '/' ~ file %}
    {% endif %}
    {% set attached = run_query(
        "select count(*) from duckdb_databases() where database_name = 'omie_results'"
      ).columns[0].values()[0] %}
    {% if attached == 0 %}
      {% set found = run_query("select count(*) from glob('" ~ file ~ "')").columns[0].values()[0] %}
      {% if found == 0 %}
        {% do run_query("attach '" ~ file ~ "' as omie_results") %}
        {% do run_query(create_omie_results_tables()) %}
        {% do run_query("detach omie_results") %}
      {% endif %}
      {% do run_query("attach '" ~ file ~ "' as omie_results (read_only)") %}
    {% endif %}
  {% endif %}
  select 1 as omie_results_attached
{% endmacro %}
"""

OMIE_IDS_OF_MACRO = """\
{#-
  Written by `omie-push init`. A subquery (key, omie_id) of the numeric Omie ids granted to
  records of the given endpoints, for a view that must name a parent by Omie's id:
    left join {{ omie_ids_of(['clientes']) }} as cli on cli.key = c.customer_code
-#}
{% macro omie_ids_of(endpoints) -%}
(
    select key, max(omie_id_bigint) as omie_id
    from {{ ref('omie_ids') }}
    where endpoint in ('{{ endpoints | join("', '") }}')
    group by key
)
{%- endmacro %}
"""

OMIE_IDS_SQL = """\
-- Written by `omie-push init`: (endpoint, integration code) -> the id Omie gave, from the ledger
-- omie-push keeps. Views that must name a parent by Omie's id join on it (macro omie_ids_of).
-- A view, so a push sees the ids granted earlier in the same run. With several Omie companies
-- in one results file, set var omie_company to the app key to map.
{{ config(materialized='view',
          pre_hook={'sql': '{{ omie_push_attach_results() }}', 'transaction': false}) }}

with ledger as (
    select * from {{ source('omie_results', 'ledger') }}
    {% if var('omie_company', none) %}
    where company = '{{ var("omie_company") }}'
    {% endif %}
),

latest as (
    select
        endpoint, key, omie_id, company, run_id, accepted_at,
        row_number() over (partition by endpoint, key order by accepted_at desc) as recency
    from ledger
)

select
    endpoint,
    key,
    omie_id,
    try_cast(omie_id as bigint) as omie_id_bigint,
    company,
    run_id,
    accepted_at
from latest
where recency = 1
"""

RESULTS_SOURCES_YML = """\
# Written by `omie-push init`: what omie-push records (ledger, runs, row_results), read by dbt
# from the results file macros/omie_push_attach_results.sql attaches as omie_results.
version: 2

sources:
  - name: omie_results
    description: What omie-push recorded; empty tables before the first push.
    database: omie_results
    schema: main
    tables:
      - name: ledger
        description: What Omie last ACCEPTED, per (company, endpoint, key), with the id it gave.
      - name: runs
        description: One row per omie-push run (when, target, options, counts, outcome, exit code).
      - name: row_results
        description: One row per row of a view per run, with its status, Omie's answer or fault, and the payload.

models:
  - name: omie_ids
    description: The Omie id of every record omie-push got accepted, (endpoint, key) -> omie_id.
    columns:
      - name: endpoint
        description: Catalog endpoint name ('clientes', 'contas_receber', ...).
      - name: key
        description: The record's integration code.
      - name: omie_id
        description: The id as the ledger holds it (text; a category's id is its code).
      - name: omie_id_bigint
        description: The numeric id, null for category codes.
"""

PROFILES_YML = """\
# Written by `omie-push init`: a DuckDB warehouse in this folder (dbt-duckdb). dbt-duckdb opens a
# relative path against the current folder: run dbt here, or set DBT_PROJECT_DIR to this folder.
{name}:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{{{ env_var('DBT_PROJECT_DIR', '.') }}}}/warehouse.duckdb"
      threads: 2
"""

DBT_PROJECT_YML = """\
# Written by `omie-push init`: a dbt project whose omie views omie-push sends to Omie.
name: {name}
version: "1.0.0"
config-version: 2
profile: {name}

model-paths: ["models"]
macro-paths: ["macros"]
clean-targets: ["target", "logs"]   # never omie_results.duckdb: it holds what Omie accepted

# Let every model, test and `dbt test` alone read the results as omie_results.
on-run-start:
  - "{{{{ omie_push_attach_results() }}}}"

models:
  {name}:
    +materialized: view
"""


def project_name(folder: Path) -> str:
    """A dbt project name from a folder name (letters, digits, underscores)."""
    name = re.sub(r"\W+", "_", folder.resolve().name.lower()).strip("_")
    return name if name and not name[0].isdigit() else f"omie_{name}"


def new_project_files(folder: Path) -> dict[str, str]:
    """dbt_project.yml and profiles.yml for a folder with no dbt project yet."""
    name = project_name(folder)
    return {"dbt_project.yml": DBT_PROJECT_YML.format(name=name),
            "profiles.yml": PROFILES_YML.format(name=name)}


def base_files(models: str = "models", macros: str = "macros") -> dict[str, str]:
    """Relative path -> text of everything but the starter views."""
    return {
        CONFIG_FILE: OMIE_PUSH_YML,
        f"{models}/omie_results/_omie_results.yml": RESULTS_SOURCES_YML,
        f"{models}/omie_results/omie_ids.sql": OMIE_IDS_SQL,
        f"{macros}/omie_results_tables.sql": dbt_macro(),
        f"{macros}/omie_push_attach_results.sql": ATTACH_MACRO,
        f"{macros}/omie_ids_of.sql": OMIE_IDS_OF_MACRO,
    }


def endpoint_files(name: str, models: str = "models") -> dict[str, str]:
    """The starter view(s) of one endpoint and their schema YAML (raises KeyError, naming the
    endpoints, for an unknown name)."""
    endpoint = catalog.get(name)
    out = {}
    for view in endpoint.views:
        out[f"{models}/omie/{view.name}.sql"] = starter.view_sql(endpoint, view)
        header = (f"# Written by `omie-push init`: {view.name} feeds {endpoint.title} "
                  f"({endpoint.call}). meta.omie.endpoint is what omie-push looks for.\n")
        body = {"version": 2, "models": [starter.view_yaml(endpoint, view)]}
        out[f"{models}/omie/{view.name}.yml"] = header + yaml.safe_dump(
            body, sort_keys=False, allow_unicode=True, width=100)
    return out
