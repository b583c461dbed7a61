"""Payload texts and hashes of a clientes view: the row path against the columnar path.

    .venv/bin/python benchmarks/payload_columnar.py                 # 100k and 1M rows, both paths
    .venv/bin/python benchmarks/payload_columnar.py --rows 100000 --paths columnar
    .venv/bin/python benchmarks/payload_columnar.py --hashers       # sha256 of 1M texts, 4 ways

The view has 26 columns with the dtypes DuckDB gives through Arrow (VARCHAR, DECIMAL(15,2),
BIGINT, LIST(STRUCT), STRUCT), made by DuckDB SQL before the clock starts. Each (path, rows)
runs in its own process, so its peak RSS is its own; the frame alone is printed as `frame RSS`.
`seconds` is wall time, `cpu_seconds` the process's CPU time (both cores count): on a shared
machine the second says more about the code than the first.
Row path: frame.to_dicts(), payload.build and diff.payload_hash per row (prepare.py today).
Columnar path: columnar.payload_texts + columnar.sha256_hex (rows left null would go through
the row path; their count is printed). Both paths' hashes are compared on the first 2000 rows.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import duckdb
import polars as pl

VIEW_SQL = """
select
  'CLI-' || lpad(i::varchar, 8, '0') as codigo_cliente_integracao,
  'Construtora Horizonte ' || i || ' Comércio de Alimentos Ltda' as razao_social,
  lpad((i * 7919 % 100000000000000)::varchar, 14, '0') as cnpj_cpf,
  'Horizonte ' || i as nome_fantasia,
  ['11', '21', '31', '48'][i % 4 + 1] as telefone1_ddd,
  '3832-' || lpad((i % 10000)::varchar, 4, '0') as telefone1_numero,
  case when i % 3 = 0 then null else '21' end as telefone2_ddd,
  case when i % 3 = 0 then null else '9' || lpad((i % 100000000)::varchar, 8, '0') end as telefone2_numero,
  'Paulo (Financeiro) ' || i % 50 as contato,
  'Avenida Sete de Setembro' as endereco,
  (i % 2000)::varchar as endereco_numero,
  ['Santana', 'Centro', 'Jardim São Paulo', 'Itaim'][i % 4 + 1] as bairro,
  case when i % 5 = 0 then 'Sala ' || i % 90 else null end as complemento,
  ['SP', 'RJ', 'MG', 'SC'][i % 4 + 1] as estado,
  'SAO PAULO (SP)' as cidade,
  '01' || lpad((i % 1000)::varchar, 3, '0') || '-000' as cep,
  '1058' as codigo_pais,
  'financeiro' || i || '@horizonte' || i % 997 || '.com.br' as email,
  'https://www.horizonte' || i % 997 || '.com.br' as homepage,
  (i * 31 % 100000000)::varchar as inscricao_municipal,
  ['S', 'N'][i % 2 + 1] as optante_simples_nacional,
  case when i % 10 = 0 then 'Cliente desde 2019.' || chr(10) || 'Pede "nota" até dia 5' else null end as observacao,
  [{'tag': 'Cliente'}, {'tag': ['Construção', 'Varejo', 'Serviços'][i % 3 + 1]}] as tags,
  ['S', 'N'][i % 2 + 1] as pessoa_fisica,
  '3550308' as cidade_ibge,
  (((i % 100000) * 10 + 5) / 4)::decimal(15, 2) as valor_limite_credito,
  'N' as inativo,
  {'email_fatura': 'financeiro' || i || '@horizonte.com.br', 'gerar_boletos': 'S'} as recomendacoes
from range({rows}) t(i)
"""


def clientes_frame(rows: int) -> pl.DataFrame:
    con = duckdb.connect()
    try:
        return con.sql(VIEW_SQL.replace("{rows}", str(rows))).pl()
    finally:
        con.close()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row_path(endpoint, frame: pl.DataFrame) -> list[str]:
    from omie_push.push import diff, payload

    return [diff.payload_hash(payload.build(endpoint, row)) for row in frame.to_dicts()]


def one(path: str, rows: int) -> dict:
    from omie_push import catalog
    from omie_push.push import columnar

    endpoint = catalog.get("clientes")
    frame = clientes_frame(rows)
    frame_rss = peak_rss_mb()
    out = {"path": path, "rows": rows, "columns": frame.width, "frame_rss_mb": round(frame_rss)}
    start, cpu = time.perf_counter(), time.process_time()
    if path == "row":
        hashes = row_path(endpoint, frame)
        out["seconds"] = round(time.perf_counter() - start, 2)
    else:
        texts = columnar.payload_texts(endpoint, frame)
        middle = time.perf_counter()
        hashes = columnar.sha256_hex(texts).to_list()
        end = time.perf_counter()
        out.update(seconds=round(end - start, 2), texts_seconds=round(middle - start, 2),
                   hash_seconds=round(end - middle, 2), left_to_row_path=texts.null_count())
    out["cpu_seconds"] = round(time.process_time() - cpu, 2)
    out["peak_rss_mb"] = round(peak_rss_mb())
    sample = frame.head(2000)
    out["first_2000_equal_to_row_path"] = hashes[:2000] == row_path(endpoint, sample)
    return out


def hashers(rows: int) -> None:
    """sha256 hex of `rows` payload texts: the polars-hash plugin (columnar.sha256_hex), hashlib
    over Arrow buffers, hashlib per str, DuckDB's sha256 over the Arrow column."""
    import hashlib

    from omie_push import catalog
    from omie_push.push import columnar

    texts = columnar.payload_texts(catalog.get("clientes"), clientes_frame(rows))
    print(f"{rows} texts, {texts.str.len_bytes().mean():.0f} bytes on average")

    def per_str(s: pl.Series) -> pl.Series:
        sha = hashlib.sha256
        return pl.Series([None if t is None else sha(t.encode()).hexdigest() for t in s.to_list()],
                         dtype=pl.String)

    def in_duckdb(s: pl.Series) -> pl.Series:
        con = duckdb.connect()
        con.register("texts", pl.DataFrame({"t": s}).to_arrow())
        try:
            return con.sql("select sha256(t) as h from texts").pl()["h"]
        finally:
            con.close()

    results = {}
    for name, fn in (("columnar.sha256_hex", columnar.sha256_hex),
                     ("hashlib Arrow buffer", columnar.sha256_hex_hashlib),
                     ("hashlib per str", per_str), ("duckdb sha256", in_duckdb)):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            results[name] = fn(texts).to_list()
            best = min(best, time.perf_counter() - start)
        print(f"  {name:22s} best of 3: {best:.2f} s")
    assert len({json.dumps(r) for r in results.values()}) == 1, "the hashers disagree"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--paths", nargs="*", default=["row", "columnar"], choices=["row", "columnar"])
    parser.add_argument("--one", nargs=2, metavar=("PATH", "ROWS"), help=argparse.SUPPRESS)
    parser.add_argument("--hashers", action="store_true", help="compare sha256 ways on 1M texts")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]))))
        return
    if args.hashers:
        hashers(1_000_000)
        return
    for rows in args.rows:
        for path in args.paths:
            done = subprocess.run([sys.executable, __file__, "--one", path, str(rows)],
                                  capture_output=True, text=True, check=True)
            print(done.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
