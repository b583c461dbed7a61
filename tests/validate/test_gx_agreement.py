"""The Polars masks and GX count the same unexpected rows for every expectation, over frames
that exercise every kind of check with tricky values; CPF/CNPJ digits agree with validate-docbr."""
from __future__ import annotations

import random
import re

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from validate_docbr import CNPJ, CPF

from omie_push.validate import engine, masks, rules, store, suite
from omie_push.validate.frame import checked_frame
from omie_push.validate.schema import lookup

WEIRD_TEXT = ["", " ", "\u00a0", "\t\n", "\x1c", "\u2003", "ok", "ok\n", " ok ", "é" * 61,
              "a" * 60, "a" * 61, "ç" * 5]
DOCS = ["529.982.247-25", "52998224725", "529.982.247-24", "111.111.111-11", "11.222.333/0001-81",
        "11222333000181", "11.222.333/0001-80", "12.ABC.345/01DE-35", "12.abc.345/01de-35",
        "12ABC34501DE35", "00000000000000", "529982247-25", " 52998224725", "52998224725\n",
        "5299822472", "abc", "１１２２２３３３０００１８１"]
EMAILS = ["a@b.com", "a@b.com, c@d.org", "a@b.com,c@d.org", "a@b", "@b.com", "a@b.com,",
          "a@b.com;c@d.com", "a@-b.com", "a@b-.com", "ação@b.com", "a@b.com\n", " a@b.com ",
          "a@b.c", "x.y+z@sub.dominio.com.br"]
DATES = ["2025-02-28", "2025-02-29", "2024-02-29", "2025-02-30", "1900-12-31", "1901-01-01",
         "0000-01-01", "9999-12-31", "2025-1-05", "2025-13-01", "25-01-01", "2025-01-01\n",
         "2025-01-01T00:00", "20250101", "01/01/2025", " 2025-01-01"]
FLAGS = ["S", "N", "s", "X", "", "SN", " S"]


def pick(rng: random.Random, values: list, n: int, nulls: float = 0.1) -> list:
    return [None if rng.random() < nulls else rng.choice(values) for _ in range(n)]


def clientes(n: int, rng: random.Random) -> pl.DataFrame:
    return pl.DataFrame({
        "codigo_cliente_integracao": pick(rng, [f"C{i}" for i in range(n // 2)] + WEIRD_TEXT, n),
        "razao_social": pick(rng, WEIRD_TEXT, n),
        "cnpj_cpf": pick(rng, DOCS, n),
        "email": pick(rng, EMAILS, n),
        "pessoa_fisica": pick(rng, FLAGS, n),
        "codigo_cliente_omie": pick(rng, [1.0, 2.5, float("inf"), -3.0, 1e17, float("nan")], n),
        "valor_limite_credito": pick(rng, [0.0, 1.5, float("inf"), float("-inf"), float("nan")], n),
        "estado": pick(rng, ["SP", "SPX", "", "RJ"], n),
    }, schema_overrides={"codigo_cliente_omie": pl.Float64, "valor_limite_credito": pl.Float64})


def contas_receber(n: int, rng: random.Random) -> pl.DataFrame:
    return pl.DataFrame({
        "codigo_lancamento_integracao": pick(rng, [f"R{i}" for i in range(n)], n, 0.02),
        "codigo_cliente_fornecedor": pick(rng, [1, 2, 3], n, 0.5),
        "codigo_cliente_fornecedor_integracao": pick(rng, ["C1", "", "  ", "\u00a0"], n, 0.5),
        "data_vencimento": pick(rng, DATES, n),
        "data_previsao": pick(rng, DATES, n),
        "valor_documento": pick(rng, [1.0, 2.0, float("inf")], n),
        "retem_iss": pick(rng, FLAGS, n),
        "acao": pick(rng, ["A", "S", "L", "X"], n),
    }, schema_overrides={"codigo_cliente_fornecedor": pl.Int64})


def categorias(n: int, rng: random.Random) -> pl.DataFrame:
    return pl.DataFrame({"categoria_superior": pick(rng, ["2.01", "2.02"], n, 0.2),
                         "descricao": pick(rng, ["Frete", "Aluguel", "Luz"], n, 0.2)})


def counts_both_ways(gx, view: str, frame: pl.DataFrame) -> list[tuple[str, int, int]]:
    endpoint, v = lookup(view)
    chosen = engine.applicable(store.read_suite(view)["expectations"], set(frame.columns))
    fields = {f.name: f for f in endpoint.fields_of(v)}
    used = {c for e in chosen for c in engine._columns(e)}
    checked = checked_frame(frame, fields, [c for c in frame.columns if c in used],
                            sorted(used - set(frame.columns)))
    polars_counts = checked.select(
        [masks.unexpected(e, checked.schema).sum().alias(str(i)) for i, e in enumerate(chosen)]).row(0)
    gx_counts = gx.unexpected_counts(view, gx.load_suite(view, {"name": view, "expectations": chosen}),
                                     checked.to_pandas())
    return [(engine.expectation_id(e), g, p) for e, g, p in zip(chosen, gx_counts, polars_counts)]


def test_gx_and_polars_agree_on_every_expectation(gx):
    rng = random.Random(4)
    exercised: dict[str, int] = {}
    for view, build in (("omie_clientes", clientes), ("omie_contas_receber", contas_receber),
                        ("omie_categorias", categorias)):
        frame = build(3000, rng)
        for ident, gx_count, polars_count in counts_both_ways(gx, view, frame):
            assert gx_count == polars_count, (view, ident, gx_count, polars_count)
            kind = ident.split(":")[0]
            exercised[kind] = exercised.get(kind, 0) + gx_count
            assert gx_count < frame.height, (view, ident)   # some rows pass too
    kinds = set(suite.CUSTOM_TYPES) | set(suite.BUILT_IN_TYPES)
    assert {k for k, n in exercised.items() if n > 0} == kinds, exercised


def _docbr_says(value: str) -> bool:
    bare = re.sub(rules.DOC_SEPARATORS, "", value)
    return CPF().validate(bare) if len(bare) == 11 else CNPJ().validate(bare)


def _format(digits: str, punctuate: bool) -> str:
    if not punctuate:
        return digits
    if len(digits) == 11:
        return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"
    return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-{digits[12:]}"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([9, 12]), st.integers(0, 10**14), st.booleans(),
                          st.booleans(), st.integers(0, 99)), min_size=1, max_size=40))
def test_cpf_cnpj_digits_agree_with_validate_docbr(gx, docs):
    from omie_push.validate import gx_custom

    values = []
    for body_len, number, punctuate, letters, tail in docs:
        body = str(number).zfill(15)[:body_len]
        if letters and body_len == 12:
            body = "AB" + body[2:]
        full = body + f"{tail:02d}"
        # make about half of them right: replace the tail with the real check digits
        if tail % 2 == 0:
            weights = rules.CPF_WEIGHTS if body_len == 9 else rules.CNPJ_WEIGHTS
            codes = [ord(c) - 48 for c in body]
            d1 = rules.check_digit(codes, weights[0])
            d2 = rules.check_digit(codes + [d1], weights[1])
            full = body + f"{d1}{d2}"
        values.append(_format(full, punctuate))
    expected = [_docbr_says(v) for v in values]
    frame = pl.DataFrame({"doc": values})
    polars_ok = frame.select(~masks.valid_cpf_cnpj({"column": "doc"}, frame.schema)).to_series()
    assert polars_ok.to_list() == expected
    assert gx_custom.cpf_cnpj_ok(frame.to_pandas()["doc"]).tolist() == expected


TRICKY = st.text(alphabet=st.sampled_from(list("aZ09@.,;-_ +/:T\n\t\u00a0\u2003\x1cé１")), max_size=14)
DATE_LIKE = st.builds(lambda y, m, d, sep: f"{y:04d}{sep}{m:02d}{sep}{d:02d}",
                      st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32),
                      st.sampled_from(["-", "/", ""]))


@settings(max_examples=25, deadline=None)
@given(names=st.lists(st.one_of(TRICKY, st.none()), min_size=1, max_size=30),
       emails=st.lists(st.one_of(TRICKY, st.just("a@b.com"), st.none()), min_size=30, max_size=30),
       dates=st.lists(st.one_of(DATE_LIKE, TRICKY, st.none()), min_size=30, max_size=30))
def test_gx_and_polars_agree_on_random_text(gx, names, emails, dates):
    n = len(names)
    clientes_frame = pl.DataFrame({"codigo_cliente_integracao": names, "razao_social": names,
                                   "email": emails[:n], "cnpj_cpf": names},
                                  schema_overrides={c: pl.String for c in ("codigo_cliente_integracao",
                                                    "razao_social", "email", "cnpj_cpf")})
    receber = pl.DataFrame({"codigo_lancamento_integracao": names, "codigo_cliente_fornecedor_integracao": names,
                            "data_vencimento": dates[:n], "valor_documento": [1.0] * n},
                           schema_overrides={c: pl.String for c in ("codigo_lancamento_integracao",
                                             "codigo_cliente_fornecedor_integracao", "data_vencimento")})
    for view, frame in (("omie_clientes", clientes_frame), ("omie_contas_receber", receber)):
        for ident, gx_count, polars_count in counts_both_ways(gx, view, frame):
            assert gx_count == polars_count, (view, ident, frame.to_dicts())


def test_ignore_row_if_of_a_group_read_alike(gx):
    frame = pl.DataFrame({"codigo_lancamento_integracao": ["R1", "R2", "R3", "R4"],
                          "codigo_cliente_fornecedor": [None, None, 1, None],
                          "codigo_cliente_fornecedor_integracao": [None, " ", None, "C1"],
                          "data_vencimento": ["2026-01-01"] * 4, "valor_documento": [1.0] * 4},
                         schema_overrides={"codigo_cliente_fornecedor": pl.Int64,
                                           "codigo_cliente_fornecedor_integracao": pl.String})
    base = next(e for e in store.read_suite("omie_contas_receber")["expectations"]
                if e["type"] == suite.ONE_OF)
    for ignore, expected in (("never", 2), ("all_values_are_missing", 1), ("any_value_is_missing", 0)):
        exp = {**base, "kwargs": {**base["kwargs"], "ignore_row_if": ignore}}
        polars_count = frame.select(masks.unexpected(exp, frame.schema).sum()).item()
        gx_count, = gx.unexpected_counts("omie_contas_receber", gx.load_suite(
            "omie_contas_receber", {"name": "x", "expectations": [exp]}), frame.to_pandas())
        assert polars_count == gx_count == expected, ignore
