{#-
  The results tables omie-push writes (docs/architecture.md, "Results tables").
  Generated from omie_push/store/schema.py (`omie-push init` writes the same text): do not edit.
-#}
{% macro omie_results_ddl() -%}
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
create table if not exists intents (         -- the write-ahead journal: a write, durable BEFORE its call
  run_id varchar not null, company varchar not null, endpoint varchar not null,
  key varchar not null,
  call varchar not null,         -- the write about to go out, e.g. UpsertContaReceberPorLote
  payload_hash varchar, payload json,
  started_at timestamp not null,
  resolved_at timestamp,         -- null: the answer never came (the run was killed): ask Omie
  resolution varchar,            -- sent | refused | not_sent | landed | not_landed
  primary key (run_id, company, endpoint, key)
);
create table if not exists run_locks (       -- one pushing run per results store and company
  company varchar primary key, run_id varchar not null, pid integer not null,
  host varchar not null, started_at timestamp not null
);
{%- endmacro %}


{#- The same tables in PostgreSQL's types (schema.ddl('postgres')). -#}
{% macro omie_results_ddl_postgres() -%}
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
  finished_at timestamp, duration_seconds double precision, dry_run boolean, full_refresh boolean,
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
create table if not exists intents (         -- the write-ahead journal: a write, durable BEFORE its call
  run_id varchar not null, company varchar not null, endpoint varchar not null,
  key varchar not null,
  call varchar not null,         -- the write about to go out, e.g. UpsertContaReceberPorLote
  payload_hash varchar, payload json,
  started_at timestamp not null,
  resolved_at timestamp,         -- null: the answer never came (the run was killed): ask Omie
  resolution varchar,            -- sent | refused | not_sent | landed | not_landed
  primary key (run_id, company, endpoint, key)
);
create table if not exists run_locks (       -- one pushing run per results store and company
  company varchar primary key, run_id varchar not null, pid integer not null,
  host varchar not null, started_at timestamp not null
);
{%- endmacro %}


{#- on-run-start: the same DDL, aimed at the attached results database (alias omie_results) on DuckDB, at the results schema elsewhere. -#}
{% macro create_omie_results_tables(database='omie_results') -%}
{%- if target.type == 'duckdb' -%}
{%- set writable = false -%}
{%- if execute -%}
{%- set found = run_query("select count(*) from duckdb_databases() where database_name = '" ~ database ~ "' and not readonly") -%}
{%- set writable = found.columns[0].values()[0] > 0 -%}
{%- endif -%}
{%- if writable -%}
{{ omie_results_ddl() | replace('create table if not exists ', 'create table if not exists ' ~ database ~ '.main.') }}
{%- else -%}
select 1
{%- endif -%}
{%- elif target.type == 'postgres' -%}
{%- set schema = omie_results_schema() -%}
{#- not `create schema if not exists`: it needs CREATE on the database even when the schema exists -#}
do $$ begin if not exists (select 1 from pg_namespace where nspname = '{{ schema }}') then create schema {{ schema }}; end if; end $$;
{{ omie_results_ddl_postgres() | replace('create table if not exists ', 'create table if not exists ' ~ schema ~ '.') }}
{%- else -%}
select 1 as omie_results_not_kept_here  {#- omie-push keeps results in DuckDB or PostgreSQL only -#}
{%- endif %}
{%- endmacro %}


{#- Where the results are: the attached DuckDB file (database omie_results, schema main), or this schema of the warehouse (the source omie_results says the same). -#}
{% macro omie_results_schema() -%}
{{ 'main' if target.type == 'duckdb' else var('omie_results_schema', 'omie_push') }}
{%- endmacro %}
