"""The results tables, written once: the pusher creates them from `DDL`, and the dbt macro that
creates them when dbt runs first (dbt_project/macros/omie_results_tables.sql, and the one
`omie-push init` writes) is generated from it by `dbt_macro()`; a test keeps the file equal.
"""
from __future__ import annotations

TABLES = ("ledger", "runs", "row_results", "drift", "drift_checks")

DDL = """\
create table if not exists ledger (          -- what Omie last ACCEPTED, per record
  company varchar not null,                  -- the Omie company: its app_key (never the secret)
  endpoint varchar not null,                 -- catalog endpoint name, e.g. 'clientes'
  key varchar not null,                      -- integration code (categorias: 'superior|descricao')
  payload_hash varchar not null,             -- sha256 of the canonical JSON payload accepted
  omie_id varchar,                           -- codigo_cliente_omie, codigo_lancamento_omie, codigo, nCodCtr, category code
  answer json,                               -- Omie's answer, as received
  run_id varchar not null,
  accepted_at timestamp not null,
  primary key (company, endpoint, key)
);
create table if not exists runs (
  run_id varchar primary key, target varchar, company varchar, started_at timestamp,
  finished_at timestamp, duration_seconds double, dry_run boolean, full_refresh boolean,
  options json, counts json, outcome varchar, exit_code integer
);
create table if not exists row_results (
  run_id varchar not null, endpoint varchar not null, view varchar not null, key varchar,
  status varchar not null,       -- sent | unchanged | rejected | failed | held | not_attempted
  omie_id varchar, omie_status varchar, fault varchar, faultcode varchar,
  reasons json,                  -- validation reasons of a rejected row
  attempts integer, payload_hash varchar, payload json, note varchar, recorded_at timestamp
);
create table if not exists drift (            -- a field someone changed in Omie (docs/drift.md)
  company varchar not null, endpoint varchar not null, key varchar not null,
  field varchar not null,                    -- dotted path in the payload, e.g. 'endereco'
  our_value varchar, omie_value varchar,     -- what omie-push sent, what Omie holds now
  changed_by varchar, changed_at varchar,    -- Omie's info block: user, 'dd/mm/aaaa hh:mm:ss'
  found_run_id varchar, found_at timestamp,
  status varchar not null,                   -- open | accepted | overwrite | overwritten
  resolved_at timestamp, resolved_run_id varchar
);
create table if not exists drift_checks (     -- where the next drift check starts, per endpoint
  company varchar not null, endpoint varchar not null,
  since varchar,                             -- Omie's latest alteration seen, 'dd/mm/aaaa hh:mm:ss'
  run_id varchar, checked_at timestamp, calls integer,
  primary key (company, endpoint)
);
"""

MACRO_HEADER = """\
{#-
  The results tables omie-push writes (docs/architecture.md, "Results tables").
  Generated from omie_push/store/schema.py (`omie-push init` writes the same text): do not edit.
-#}
"""


def dbt_macro() -> str:
    """The text of macros/omie_results_tables.sql: the DDL, aimed at the attached results
    database on dbt's on-run-start."""
    return (MACRO_HEADER
            + "{% macro omie_results_ddl() -%}\n" + DDL + "{%- endmacro %}\n\n\n"
            + "{#- on-run-start: the same DDL, aimed at the attached results database "
              "(alias omie_results). -#}\n"
            + "{% macro create_omie_results_tables(database='omie_results') -%}\n"
            + "{{ omie_results_ddl() | replace('create table if not exists ', "
              "'create table if not exists ' ~ database ~ '.main.') }}\n"
            + "{%- endmacro %}\n")
