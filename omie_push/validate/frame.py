"""The frame the checks read: the view's checked columns in the shape Omie will receive them.

Integers in text fields become text, DATE columns become YYYY-MM-DD text, DECIMALs become
floats, NaN becomes null (JSON has no NaN; pandas, which GX reads, cannot tell them apart).
The view itself is never changed: valid rows are taken from the original frame.
"""
from __future__ import annotations

import polars as pl

from ..catalog import Field

ROW_INDEX = "__omie_push_row__"


def _normalized(field: Field, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(field.name)
    if field.type in ("String", "Text"):
        if dtype == pl.Date:
            return col.dt.strftime("%Y-%m-%d")
        return col.cast(pl.String)
    if field.type in ("Integer", "Decimal"):
        if dtype.is_integer():
            return col.cast(pl.Int64)
        col = col.cast(pl.Float64)
        return col.fill_nan(None)
    return col


def checked_frame(frame: pl.DataFrame, fields: dict[str, Field], columns: list[str],
                  absent: list[str] = ()) -> pl.DataFrame:
    """The columns the suite reads, normalized (the caller ran the schema check first); `absent`
    fields of an "at least one of" group the view leaves out are added as empty columns."""
    kinds = {"Integer": pl.Int64, "Decimal": pl.Float64}
    return frame.select(
        [_normalized(fields[c], frame.schema[c]).alias(c) for c in columns]
        + [pl.lit(None, dtype=kinds.get(fields[c].type, pl.String)).alias(c) for c in absent])
