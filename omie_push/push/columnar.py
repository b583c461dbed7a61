"""Payloads of a whole frame at once: the canonical JSON text of each row's param object and
its sha256, as Polars expressions instead of payload.build + json.dumps row by row.

The text is byte for byte what diff.payload_hash hashes, or null where this path cannot
promise that (contratos and Excluir endpoints, odd floats, control characters, JSON text,
values payload.build would refuse): the caller builds those rows with payload.build, which
decides them, PayloadError included. Which values are exact: columnar_values.
"""
from __future__ import annotations

import hashlib
import json

import polars as pl
import pyarrow as pa

from ..catalog import Endpoint
from .columnar_text import NOT_BAD, Facts, any_bad, object_text
from .columnar_values import field_json, omits

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
    facts = Facts.of(frame, {name: _json_strings(endpoint.field(name)) for name in fields})
    members, bads = [], []
    for name in sorted(fields):
        f, dtype = endpoint.field(name), frame.schema[name]
        text, bad = field_json(f, pl.col(name), dtype, facts)
        always = facts.always((name,)) and not omits(f, dtype)
        members.append((json.dumps(name, ensure_ascii=False) + ":", text, always))
        bads.append(bad)
    text = object_text(members)
    bad = any_bad(bads)
    if bad is not NOT_BAD:
        text = pl.when(bad).then(None).otherwise(text)
    # with_columns, not select: a text of literals only (all-null columns) still gets one per row
    return frame.with_columns(text.alias("__payload_text__"))["__payload_text__"].alias(NAME)


def _json_strings(f) -> bool:
    """Whether a string column of this field is written as a JSON string (text fields; dates,
    numbers and JSON text in Object fields are parsed instead)."""
    return f.type in ("String", "Text") and not f.is_date


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
    payload. The polars-hash plugin (Rust sha2 over the column's UTF-8 bytes): on 1M payload
    texts about twice as fast as hashlib, which costs ~1 us of Python per text, and DuckDB's
    sha256 (benchmarks/payload_columnar.py --hashers)."""
    try:
        import polars_hash

        frame = pl.DataFrame({"t": texts.cast(pl.String)})
        return frame.select(polars_hash.col("t").chash.sha2_256())["t"].alias(texts.name)
    except (ImportError, pl.exceptions.ComputeError):   # a Polars the plugin was not built for
        return sha256_hex_hashlib(texts)


def sha256_hex_hashlib(texts: pl.Series) -> pl.Series:
    """The same by hashlib over slices of the column's Arrow UTF-8 buffer (the benchmark's
    comparison, and the way back should the plugin go)."""
    arr = texts.cast(pl.String).to_arrow().cast(pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    _, offset_buffer, data = arr.buffers()
    view = memoryview(data) if data is not None else memoryview(b"")
    offsets = pa.Array.from_buffers(pa.int64(), len(arr) + 1, [None, offset_buffer],
                                    offset=arr.offset).to_pylist()
    sha = hashlib.sha256
    digests = pl.Series(texts.name, [sha(view[a:b]).digest() for a, b in zip(offsets, offsets[1:])],
                        dtype=pl.Binary)
    hexed = digests.bin.encode("hex")
    return hexed if texts.null_count() == 0 else hexed.zip_with(texts.is_not_null(), pl.Series([None], dtype=pl.String))
