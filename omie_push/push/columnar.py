"""STUB (replaced by the columnar branch): every row through the row path."""
from __future__ import annotations

import hashlib

import polars as pl


def payload_texts(endpoint, frame: pl.DataFrame) -> pl.Series:
    return pl.Series("payload", [None] * frame.height, dtype=pl.String)


def sha256_hex(texts: pl.Series) -> pl.Series:
    return pl.Series("payload_hash", [None if t is None else hashlib.sha256(t.encode()).hexdigest()
                                      for t in texts], dtype=pl.String)
