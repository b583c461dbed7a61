"""Synthetic dbt-less projects for `make bench`: a DuckDB warehouse with a table and a view
`omie_clientes` / `omie_contas_receber` of N rows, shaped like the demo's models (the same
columns and types as dbt_project/models/omie), plus the manifest, run_results, profiles.yml and
omie_push.yml that omie-push reads. No dbt run: the figures are omie-push's, not dbt's.

Every row is valid: distinct integration codes, distinct CNPJs with real check digits, a city as
Omie writes it, S/N flags, dates, decimals. contas_receber names its client by integration code
(`codigo_cliente_fornecedor_integracao`, the catalog's parent_ref to clientes); it carries no
Omie id column (codigo_vendedor, codigo_projeto come from `omie_ids` in the demo). A project
that feeds only contas_receber (its clients typed in Omie) needs no pushed parent; one that feeds
clientes too holds every receivable until the clientes were pushed.

    python benchmarks/bench_data.py /tmp/proj 10000
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

VIEWS = {"omie_clientes": "clientes", "omie_contas_receber": "contas_receber"}

PROFILES = """
bench:
  target: dev
  outputs:
    dev: {type: duckdb, path: "{{ env_var('DBT_PROJECT_DIR', '.') }}/warehouse.duckdb"}
"""

# `embedded`: the dry runs (no call). `served`: a sandbox in its own process at BENCH_OMIE_URL,
# limits off, budgets raised so pacing does not bound the pusher's own figures. `real`: the same
# URL with omie-push's default budgets (Omie's limits).
OMIE_PUSH_YML = """
target: embedded
results_path: omie_results.duckdb
targets:
  embedded:
    base_url: embedded
    app_key: bench-key
    app_secret: "{{ env_var('BENCH_OMIE_SECRET', 'bench-secret') }}"
    sandbox_state: .omie-sandbox/state.sqlite
    sandbox_fixtures: demo
  real:
    # the same served sandbox with omie-push's defaults: Omie's real budgets
    base_url: "{{ env_var('BENCH_OMIE_URL', 'http://127.0.0.1:9/api/v1') }}"
    app_key: bench-key
    app_secret: "{{ env_var('BENCH_OMIE_SECRET', 'bench-secret') }}"
  served:
    base_url: "{{ env_var('BENCH_OMIE_URL', 'http://127.0.0.1:9/api/v1') }}"
    app_key: bench-key
    app_secret: "{{ env_var('BENCH_OMIE_SECRET', 'bench-secret') }}"
    budgets: {calls_per_minute_per_method: 100000000, calls_per_minute_per_ip: 100000000,
              redundant_window_seconds: 0.01}
"""

_W1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_W2 = (6,) + _W1


def _dv(digits: str, weights: tuple[int, ...]) -> str:
    """SQL for one CNPJ check digit of the digit string expression `digits`."""
    total = " + ".join(f"cast(substr({digits}, {k + 1}, 1) as int) * {w}" for k, w in enumerate(weights))
    return f"(case when ({total}) % 11 < 2 then 0 else 11 - ({total}) % 11 end)::varchar"


# Row numbers with their CNPJ digits (base lpad(i, 8) || '0001' and both check digits), in steps:
# one expression nesting the other would repeat the base inside every weight and take DuckDB a
# minute to bind.
_DIGITS = f"""(select i, d13 || {_dv('d13', _W2)} as cnpj_digits from (
    select i, b || {_dv('b', _W1)} as d13 from (
        select i, lpad(i::varchar, 8, '0') || '0001' as b from range({{rows}}) r(i)) s1) s2)"""


def _cnpj_sql(digits: str = "cnpj_digits") -> str:
    """The formatted CNPJ of the digits column: 00.000.000/0000-00."""
    d = digits
    return (f"substr({d},1,2)||'.'||substr({d},3,3)||'.'||substr({d},6,3)||'/'"
            f"||substr({d},9,4)||'-'||substr({d},13,2)")


CLIENTES = f"""
select
    'CLI-' || lpad(i::varchar, 8, '0')                       as codigo_cliente_integracao,
    'Empresa ' || i || ' Comercio e Servicos Ltda'           as razao_social,
    {{cnpj}}                                                 as cnpj_cpf,
    'Empresa ' || i                                          as nome_fantasia,
    '11'                                                     as telefone1_ddd,
    '3' || lpad((i % 10000000)::varchar, 3, '0')             as telefone1_numero,
    case when i % 3 = 0 then '19' end                        as telefone2_ddd,
    case when i % 3 = 0 then '9' || lpad((i % 100000000)::varchar, 8, '0') end as telefone2_numero,
    'Contato ' || (i % 997)                                  as contato,
    'Rua ' || (i % 5000) || ' de Setembro'                   as endereco,
    ((i % 3000) + 1)::varchar                                as endereco_numero,
    'Bairro ' || (i % 300)                                   as bairro,
    case when i % 4 = 0 then 'Sala ' || (i % 90) end         as complemento,
    'SP'                                                     as estado,
    case when i % 2 = 0 then 'SAO PAULO (SP)' else 'CAMPINAS (SP)' end as cidade,
    lpad((i % 99999)::varchar, 5, '0') || '-' || lpad((i % 999)::varchar, 3, '0') as cep,
    '1058'                                                   as codigo_pais,
    'financeiro' || i || '@empresa' || (i % 50) || '.com.br' as email,
    'https://www.empresa' || i || '.com.br'                  as homepage,
    lpad((i % 100000000)::varchar, 8, '0')                   as inscricao_municipal,
    case when i % 5 = 0 then 'S' else 'N' end                as optante_simples_nacional,
    case when i % 10 = 0 then 'Cliente desde ' || (2000 + i % 25) end as observacao,
    [{{'tag': 'Cliente'}}, {{'tag': 'Setor ' || (i % 7)}}]::struct(tag varchar)[] as tags,
    'N'                                                      as pessoa_fisica,
    case when i % 2 = 0 then '3550308' else '3509502' end    as cidade_ibge,
    ((i % 500) * 100 + 1000)::decimal(15, 2)                 as valor_limite_credito,
    'N'                                                      as inativo,
    {{'email_fatura': 'financeiro' || i || '@empresa' || (i % 50) || '.com.br', 'gerar_boletos': 'S'}}
        ::struct(email_fatura varchar, gerar_boletos varchar) as recomendacoes
from {_DIGITS} t
"""

CONTAS_RECEBER = """
select
    'CR-' || lpad(i::varchar, 9, '0')                         as codigo_lancamento_integracao,
    'CLI-' || lpad((i // 4)::varchar, 8, '0')                 as codigo_cliente_fornecedor_integracao,
    (date '2026-01-05' + (i % 700)::int)::varchar             as data_vencimento,
    ((i % 9000) * 1.37 + 100)::decimal(15, 2)                 as valor_documento,
    '1.01.02'                                                 as codigo_categoria,
    (date '2026-01-05' + (i % 700)::int)::varchar             as data_previsao,
    4850011003::bigint                                        as id_conta_corrente,
    'NFS-' || (i // 4)                                        as numero_documento,
    lpad(((i % 4) + 1)::varchar, 3, '0') || '/004'            as numero_parcela,
    ((i // 4) % 100000000)::varchar                           as numero_documento_fiscal,
    'PED-' || (i // 4)                                        as numero_pedido,
    case when i % 10 = 0 then 'Parcela renegociada' end       as observacao,
    (date '2025-12-01' + (i % 700)::int)::varchar             as data_emissao,
    ((i % 9000) * 0.05)::decimal(15, 2)                       as valor_iss,
    case when i % 2 = 0 then 'S' else 'N' end                 as retem_iss,
    ((i % 9000) * 0.0065)::decimal(15, 2)                     as valor_pis,
    'N'                                                       as retem_pis,
    ((i % 9000) * 0.03)::decimal(15, 2)                       as valor_cofins,
    'N'                                                       as retem_cofins,
    'N'                                                       as bloqueado,
    'CTR-' || (i % 5000)                                      as cNumeroContrato,
    'OC-' || i                                                as cPedidoCliente
from range({rows}) t(i)
"""

SQL = {"omie_clientes": CLIENTES, "omie_contas_receber": CONTAS_RECEBER}


def view_sql(view: str, rows: int, bad_every: int = 0) -> str:
    """The view's SELECT; `bad_every` K > 0 spoils one CNPJ check digit in every K rows (the
    last of each K), a row Omie refuses and omie-push's validation rejects."""
    cnpj = _cnpj_sql()
    if bad_every:
        spoiled = "substr(cnpj_digits, 1, 13) || ((cast(substr(cnpj_digits, 14, 1) as int) + 1) % 10)"
        cnpj = f"case when i % {bad_every} = {bad_every - 1} then {_cnpj_sql(spoiled)} else {cnpj} end"
    return SQL[view].replace("{rows}", str(rows)).replace("{cnpj}", cnpj)


def make_project(root: Path, rows: int, views: tuple[str, ...] = tuple(VIEWS),
                 bad_every: int = 0) -> Path:
    """Write a project of `views`, each of `rows` rows, under `root`; returns root."""
    (root / "target").mkdir(parents=True, exist_ok=True)
    (root / "dbt_project.yml").write_text("name: bench\nprofile: bench\n")
    (root / "profiles.yml").write_text(PROFILES)
    (root / "omie_push.yml").write_text(OMIE_PUSH_YML)
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    nodes, results = {}, []
    for view in views:
        # A table (what dbt would have materialized upstream) and the view omie-push reads.
        con.execute(f"create or replace table {view}_src as {view_sql(view, rows, bad_every)}")
        con.execute(f"create or replace view {view} as select * from {view}_src")
        uid = f"model.bench.{view}"
        nodes[uid] = {"resource_type": "model", "name": view, "database": "warehouse",
                      "schema": "main", "alias": view, "unique_id": uid,
                      "config": {"meta": {"omie": {"endpoint": VIEWS[view]}}}}
        results.append({"unique_id": uid, "status": "success"})
    con.close()
    (root / "target" / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    (root / "target" / "run_results.json").write_text(json.dumps({"results": results}))
    return root


if __name__ == "__main__":
    make_project(Path(sys.argv[1]), int(sys.argv[2]))
    print(sys.argv[1])
