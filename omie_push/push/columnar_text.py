"""How the columnar payload texts are put together: pieces of text joined in one concat_str,
JSON objects with their members left out where null, and the facts read from the frame
once (which values are never null, which strings have nothing to escape) that let a column
skip the work of the general case.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

NOT_BAD = pl.lit(False)
NO_TEXT = pl.lit(None, dtype=pl.String)
# What json.dumps escapes (ensure_ascii=False): a string without these is written as it is.
SPECIAL = [chr(c) for c in range(0x20)] + ['"', "\\"]


class Pieces(tuple):
    """A text as pieces (str literals and String expressions) still to be concatenated, so
    the caller can put them straight into the row's one concat_str (null if any piece is)."""


def as_expr(text) -> pl.Expr:
    """One String expression of a text given as an expression or as Pieces."""
    if not isinstance(text, Pieces):
        return text
    merged: list = []
    for piece in _flat(text):
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    parts = [pl.lit(p) if isinstance(p, str) else p for p in merged]
    return parts[0] if len(parts) == 1 else pl.concat_str(parts)


def _flat(pieces: Pieces):
    for piece in pieces:
        yield from (_flat(piece) if isinstance(piece, Pieces) else (piece,))


def object_text(members: list[tuple[str, object, bool]]) -> pl.Expr:
    """'{' + the members present, comma-separated + '}'. `members`: (the key's JSON and ':',
    the value's text or null to leave it out, whether every row has it), keys in order.
    With a member every row has, the object is one concat_str: those members go in as pieces,
    the others as '' or their text with its comma on the side of that member. Without one, a
    concat_str that skips nulls; an object left with no member is {} (the caller decides)."""
    first = next((i for i, (_, _, always) in enumerate(members) if always), None)
    if first is None:
        parts = [as_expr(Pieces((key, text))) for key, text, _ in members]
        body = pl.concat_str(parts, separator=",", ignore_nulls=True) if parts else pl.lit("")
        return pl.concat_str([pl.lit("{"), body, pl.lit("}")])
    pieces: list = ["{"]
    for i, (key, text, always) in enumerate(members):
        head, tail = ("," if i > first else "") + key, "," if i < first else ""
        if always:
            pieces += [head, text, tail]
        else:
            pieces.append(as_expr(Pieces((head, text, tail))).fill_null(""))
    pieces.append("}")
    return as_expr(Pieces(pieces))


def any_bad(bads: list) -> pl.Expr:
    """Whether any of the masks is true; NOT_BAD when none can be."""
    real = [b for b in bads if b is not NOT_BAD]
    return NOT_BAD if not real else real[0] if len(real) == 1 else pl.any_horizontal(real)


def present(bad: pl.Expr) -> pl.Expr:
    """A `bad` mask with nulls (null values) read as not bad."""
    return bad.fill_null(False)


@dataclass(frozen=True)
class Facts:
    """What the frame's values are known to be, by path: (column,), then a struct member's
    name or '[]' for a list's items. A path not known is neither never-null nor plain."""

    never_null: frozenset = field(default_factory=frozenset)
    plain: frozenset = field(default_factory=frozenset)

    def always(self, path: tuple) -> bool:
        return path in self.never_null

    def plain_string(self, path: tuple) -> bool:
        return path in self.plain

    @classmethod
    def of(cls, frame: pl.DataFrame, columns: dict[str, bool]) -> "Facts":
        """One pass over `columns` (name -> whether its top-level strings are JSON strings):
        the null counts and escape checks of every value inside them."""
        checks: dict[tuple, pl.Expr] = {}
        for name, strings in columns.items():
            _walk(pl.col(name), frame.schema[name], (name,), strings, checks)
        if not checks:
            return cls()
        found = frame.select([e.alias(str(i)) for i, e in enumerate(checks.values())]).row(0)
        known = dict(zip(checks, found))
        never = frozenset(p for (kind, p), v in known.items() if kind == "nulls" and v == 0)
        plain = frozenset(p for (kind, p), v in known.items() if kind == "special" and not v)
        return cls(never, plain)


def _walk(expr: pl.Expr, dtype, path: tuple, strings: bool, checks: dict) -> None:
    checks[("nulls", path)] = expr.null_count()
    if dtype == pl.String and strings:
        checks[("special", path)] = expr.str.contains_any(SPECIAL).any().fill_null(False)
    elif isinstance(dtype, pl.Struct):
        for member in dtype.fields:
            _walk(expr.struct.field(member.name), member.dtype, path + (member.name,), True, checks)
    elif isinstance(dtype, pl.List):
        _walk(expr.explode(), dtype.inner, path + ("[]",), True, checks)
