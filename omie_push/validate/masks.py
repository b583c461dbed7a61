"""Per-row verdicts from a suite, as Polars expressions: one expression builder per expectation type.

GX 1.x can give per-row results only through its COMPLETE result format, which takes tens of
seconds on 100k rows once many fail. So the rows come from here, reading the same suite JSON,
and GX stays the judge: `engine.py` checks that both count the same unexpected rows for every
expectation. Each builder returns an expression that is True where a row fails. Like GX's map
expectations, every check but not-null ignores null values.
"""
from __future__ import annotations

import functools
import operator
from collections.abc import Callable

import polars as pl

from . import rules, suite


def _text(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String)


def _present(name: str) -> pl.Expr:
    return pl.col(name).is_not_null()


def not_null(kw: dict, schema: pl.Schema) -> pl.Expr:
    return pl.col(kw["column"]).is_null()


def not_match_regex(kw: dict, schema: pl.Schema) -> pl.Expr:
    return _present(kw["column"]) & _text(kw["column"]).str.contains(kw["regex"])


def match_regex(kw: dict, schema: pl.Schema) -> pl.Expr:
    return _present(kw["column"]) & ~_text(kw["column"]).str.contains(kw["regex"])


def lengths_between(kw: dict, schema: pl.Schema) -> pl.Expr:
    length = _text(kw["column"]).str.len_chars()
    too_long = length > kw["max_value"] if kw.get("max_value") is not None else pl.lit(False)
    too_short = length < kw["min_value"] if kw.get("min_value") is not None else pl.lit(False)
    return _present(kw["column"]) & (too_long | too_short)


def in_set(kw: dict, schema: pl.Schema) -> pl.Expr:
    return _present(kw["column"]) & ~_text(kw["column"]).is_in(
        [str(v) for v in kw["value_set"]])


def unique(kw: dict, schema: pl.Schema) -> pl.Expr:
    return _present(kw["column"]) & pl.col(kw["column"]).is_duplicated()


def compound_unique(kw: dict, schema: pl.Schema) -> pl.Expr:
    names = kw["column_list"]
    if kw.get("ignore_row_if", "all_values_are_missing") == "all_values_are_missing":
        considered = pl.any_horizontal([_present(n) for n in names])
    else:  # "any_value_is_missing"
        considered = pl.all_horizontal([_present(n) for n in names])
    return considered & pl.struct(names).is_duplicated()


def _cpf_cnpj_ok(text: pl.Series) -> pl.Series:
    """Check digits of CPFs and CNPJs, on a Series so each step runs once over the column."""
    bare = text.str.replace_all(rules.DOC_SEPARATORS, "")
    ok = pl.Series(values=[False] * len(text), dtype=pl.Boolean)
    for length, weights in ((11, rules.CPF_WEIGHTS), (14, rules.CNPJ_WEIGHTS)):
        # '0'-'9' -> 0-9 and 'A'-'Z' -> 17-42 (ASCII code minus 48), as the Receita counts them.
        codes = []
        for i in range(length):
            c = bare.str.slice(i, 1).str.to_integer(base=36, strict=False)
            codes.append(c + (c >= 10).cast(pl.Int64) * 7)
        good = ~functools.reduce(operator.and_, [c == codes[0] for c in codes[1:]])
        for w in weights:
            rest = functools.reduce(operator.add, [c * k for c, k in zip(codes, w)]) % 11
            digit = (11 - rest) * (rest >= 2).cast(pl.Int64)
            good = good & (codes[len(w)] == digit)
        ok = ok | ((bare.str.len_chars() == length) & good)
    well_formed = text.str.contains(rules.anchored(rules.DOC_PATTERN))
    return (well_formed & ok).fill_null(False)


def valid_cpf_cnpj(kw: dict, schema: pl.Schema) -> pl.Expr:
    ok = _text(kw["column"]).map_batches(_cpf_cnpj_ok, return_dtype=pl.Boolean)
    return _present(kw["column"]) & ~ok


def real_dates(kw: dict, schema: pl.Schema) -> pl.Expr:
    name = kw["column"]
    if schema[name] == pl.Date:
        return _present(name) & (pl.col(name).dt.year() < kw.get("min_year", 1901))
    text = _text(name)
    parsed = text.str.to_date("%Y-%m-%d", strict=False)
    ok = text.str.contains(rules.anchored(rules.DATE_PATTERN)) & (
        parsed.dt.year() >= kw.get("min_year", 1901))
    return _present(name) & ~ok.fill_null(False)


def email_lists(kw: dict, schema: pl.Schema) -> pl.Expr:
    ok = _text(kw["column"]).str.contains(rules.anchored(rules.EMAIL_LIST_PATTERN))
    return _present(kw["column"]) & ~ok


def _is_float(name: str, schema: pl.Schema) -> bool:
    return schema[name].is_float()


def whole_numbers(kw: dict, schema: pl.Schema) -> pl.Expr:
    name = kw["column"]
    if not _is_float(name, schema):
        return pl.lit(False)
    x = pl.col(name)
    return _present(name) & (~x.is_finite() | (x != x.floor()))


def finite_numbers(kw: dict, schema: pl.Schema) -> pl.Expr:
    name = kw["column"]
    if not _is_float(name, schema):
        return pl.lit(False)
    return _present(name) & ~pl.col(name).is_finite()


def _filled(name: str, schema: pl.Schema) -> pl.Expr:
    if schema[name] in (pl.String, pl.Null):
        return _present(name) & ~_text(name).str.contains(suite.BLANK_REGEX).fill_null(True)
    return _present(name)


def at_least_one_filled(kw: dict, schema: pl.Schema) -> pl.Expr:
    names = kw["column_list"]
    empty = ~pl.any_horizontal([_filled(n, schema) for n in names])
    ignore = kw.get("ignore_row_if", "never")
    if ignore == "all_values_are_missing":
        return empty & pl.any_horizontal([_present(n) for n in names])
    if ignore == "any_value_is_missing":
        return empty & pl.all_horizontal([_present(n) for n in names])
    return empty


BUILDERS: dict[str, Callable[[dict, pl.Schema], pl.Expr]] = {
    suite.NOT_NULL: not_null,
    suite.NOT_BLANK: not_match_regex,
    "expect_column_values_to_match_regex": match_regex,
    suite.MAX_LENGTH: lengths_between,
    suite.IN_SET: in_set,
    suite.UNIQUE: unique,
    suite.UNIQUE_TOGETHER: compound_unique,
    suite.CPF_CNPJ: valid_cpf_cnpj,
    suite.REAL_DATE: real_dates,
    suite.EMAIL_LIST: email_lists,
    suite.WHOLE: whole_numbers,
    suite.FINITE: finite_numbers,
    suite.ONE_OF: at_least_one_filled,
}


def unexpected(expectation: dict, schema: pl.Schema) -> pl.Expr:
    """True where a row fails this expectation (a KeyError for a type no builder reads)."""
    return BUILDERS[expectation["type"]](expectation["kwargs"], schema).fill_null(False)
