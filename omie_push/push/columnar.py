"""Payloads of a whole frame at once: the canonical JSON text of each row's param object and
its sha256, as Polars expressions instead of payload.build + json.dumps row by row.

The text is byte for byte what diff.payload_hash hashes, or null where this path cannot
promise that (contratos and Excluir endpoints, odd floats, control characters, JSON text,
values payload.build would refuse): the caller builds those rows with payload.build, which
decides them, PayloadError included. Which values are exact: columnar_values.
"""
from __future__ import annotations

import json

import polars as pl

from ..catalog import Endpoint
from .columnar_values import field_json

NAME = "payload"


def payload_texts(endpoint: Endpoint, frame: pl.DataFrame) -> pl.Series:
    """Per row of `frame` (rows that passed validation, the view's original columns and dtypes as
    DuckDB -> Arrow -> Polars gives them), the canonical JSON text of payload.build(endpoint, row)
    — byte for byte what json.dumps(payload.build(...), sort_keys=True, separators=(",", ":"),
    ensure_ascii=False, default=str) gives — or null where the columnar path cannot guarantee that
    (the caller then builds that row with payload.build, which may raise PayloadError)."""
    fields = _flat_fields(endpoint, frame)
    if fields is None:
        return pl.Series(NAME, [None] * frame.height, dtype=pl.String)
    if not fields:
        return pl.Series(NAME, ["{}"] * frame.height, dtype=pl.String)
    members, bads = [], []
    for name in sorted(fields):
        text, bad = field_json(endpoint.field(name), pl.col(name), frame.schema[name])
        members.append(pl.lit(json.dumps(name, ensure_ascii=False) + ":") + text)
        bads.append(bad)
    body = pl.concat_str(members, separator=",", ignore_nulls=True)
    text = pl.when(pl.any_horizontal(bads)).then(None).otherwise(pl.lit("{") + body + pl.lit("}"))
    return frame.select(text.alias(NAME)).to_series()


def _flat_fields(endpoint: Endpoint, frame: pl.DataFrame) -> list[str] | None:
    """The columns that go into the payload (read-only ones are Omie's), or None when the
    row path must build every row: nested or key-object payloads, or a column that is no
    field of the endpoint (payload.build says so)."""
    if endpoint.kind == "delete" or endpoint.name == "contratos":
        return None
    names = {f.name: f for f in endpoint.fields}
    if any(name not in names for name in frame.columns):
        return None
    return [name for name in frame.columns if not names[name].read_only]


def sha256_hex(texts: pl.Series) -> pl.Series:
    """sha256 hex digest of each text (null stays null): equal to diff.payload_hash of the parsed
    payload. DuckDB's sha256 over the Arrow column, on every core (benchmarks/payload_columnar.py)."""
    import duckdb

    con = duckdb.connect()
    try:
        con.register("texts", pl.DataFrame({"t": texts.cast(pl.String)}).to_arrow())
        hashed = con.sql("select sha256(t) as h from texts").pl()["h"]
    finally:
        con.close()
    return hashed.alias(texts.name).cast(pl.String)
