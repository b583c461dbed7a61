"""Validation speed: a clientes view of N rows, 10% of them bad, validated with per-row verdicts.

    .venv/bin/python benchmarks/validate_bench.py --rows 100000
    .venv/bin/python benchmarks/validate_bench.py --rows 1000000
    .venv/bin/python benchmarks/validate_bench.py --rows 100000 --no-judge   # Polars masks only

Prints rows, seconds (validate_view only: schema check, suite load, GX judge, Polars masks,
reasons) and the process's peak RSS. Budgets (issue 4): 100k rows in 3 s; 1M rows in 30 s
within 3 GB, on a 2-core machine. The frame is built before the clock starts; GX is imported
before too (a CLI run pays its ~2 s import once).
"""
from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import polars as pl

from omie_push.validate import rules


def _cpfs(rng: np.random.Generator, n: int) -> list[str]:
    """n valid formatted CPFs (check digits computed like the Receita Federal does)."""
    digits = rng.integers(0, 10, size=(n, 11))
    for k, w in enumerate(rules.CPF_WEIGHTS):
        rest = (digits[:, : len(w)] * np.array(w)).sum(axis=1) % 11
        digits[:, 9 + k] = np.where(rest < 2, 0, 11 - rest)
    text = ["".join(map(str, row)) for row in digits.tolist()]
    return [f"{t[:3]}.{t[3:6]}.{t[6:9]}-{t[9:]}" for t in text]


def clientes_frame(n: int, bad_share: float = 0.10, seed: int = 7) -> pl.DataFrame:
    """A clientes view with the columns a real one carries; `bad_share` of rows break one rule."""
    rng = np.random.default_rng(seed)
    ids = [f"CLI-{i:08d}" for i in range(n)]
    frame = pl.DataFrame({
        "codigo_cliente_integracao": ids,
        "razao_social": [f"Empresa {i} Comercio de Alimentos Ltda" for i in range(n)],
        "nome_fantasia": [f"Empresa {i}" for i in range(n)],
        "cnpj_cpf": _cpfs(rng, n),
        "email": [f"contato{i}@empresa{i % 997}.com.br" for i in range(n)],
        "telefone1_ddd": rng.choice(["11", "21", "31", "48"], n),
        "telefone1_numero": [f"9{i % 100000000:08d}" for i in range(n)],
        "contato": [f"Pessoa {i}" for i in range(n)],
        "endereco": ["Rua das Flores"] * n,
        "endereco_numero": [str(i % 2000) for i in range(n)],
        "bairro": ["Centro"] * n,
        "complemento": [None] * n,
        "estado": rng.choice(["SP", "RJ", "MG", "SC"], n),
        "cidade": ["SAO PAULO (SP)"] * n,
        "cep": ["01001-000"] * n,
        "codigo_pais": ["1058"] * n,
        "pessoa_fisica": rng.choice(["S", "N"], n),
        "optante_simples_nacional": rng.choice(["S", "N"], n),
        "contribuinte": rng.choice(["S", "N"], n),
        "inativo": ["N"] * n,
        "inscricao_estadual": ["ISENTO"] * n,
        "cnae": ["4721102"] * n,
        "valor_limite_credito": rng.uniform(0, 50000, n).round(2),
        "observacao": ["cliente importado"] * n,
    }, schema_overrides={"complemento": pl.String})
    return _break_rows(frame, rng, bad_share)


def _break_rows(frame: pl.DataFrame, rng: np.random.Generator, share: float) -> pl.DataFrame:
    """Spoil `share` of the rows, each in one of several ways Omie would refuse."""
    n = frame.height
    bad = rng.choice(n, size=int(n * share), replace=False)
    kind = pl.Series(np.full(n, -1)).scatter(bad, rng.integers(0, 6, size=len(bad)))
    k = pl.lit(kind)
    return frame.with_columns(
        razao_social=pl.when(k == 0).then(pl.lit("R" * 73)).otherwise("razao_social"),
        cnpj_cpf=pl.when(k == 1).then(pl.lit("12.345.678/0001-00")).otherwise("cnpj_cpf"),
        email=pl.when(k == 2).then(pl.lit("contato@empresa")).otherwise("email"),
        pessoa_fisica=pl.when(k == 3).then(pl.lit("X")).otherwise("pessoa_fisica"),
        codigo_cliente_integracao=pl.when(k == 4).then(pl.lit(None))
        .otherwise("codigo_cliente_integracao"),
        estado=pl.when(k == 5).then(pl.lit("SPX")).otherwise("estado"),
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-judge", action="store_true", help="skip the GX judge")
    args = parser.parse_args()
    frame = clientes_frame(args.rows)
    from omie_push.validate import validate_view
    from omie_push.validate import gx_judge  # noqa: F401  (GX import outside the clock)

    started = time.perf_counter()
    result = validate_view("omie_clientes", frame, judge=not args.no_judge)
    seconds = time.perf_counter() - started
    print(f"rows={args.rows} valid={result.valid.height} rejected={len(result.rejected)} "
          f"judge={'gx' if result.judged_by_gx else 'none'} seconds={seconds:.2f} "
          f"peak_rss_mb={peak_rss_mb():.0f}")


if __name__ == "__main__":
    main()
