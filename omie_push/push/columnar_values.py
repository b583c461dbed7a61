"""One column's values as the JSON text payload.convert + json.dumps would write, as Polars
expressions: each encoder returns (text, bad). `text` is the value's JSON text, null where the
field is left out (a null value, an empty object); `bad` is true on the rows whose value this
module cannot reproduce byte for byte (the caller sends those rows through payload.build).

Every rule here is payload.py's, narrowed to what is exact: a value outside the narrow case is
`bad`, never approximated (tests/push/test_columnar_payload.py compares against a frozen copy).
"""
from __future__ import annotations

import json

import polars as pl

from ..catalog import Field
from .columnar_text import NO_TEXT, NOT_BAD, Facts, Pieces, any_bad, as_expr, object_text, present

Enc = tuple  # (text: an expression or Pieces, null where left out; bad: a mask or NOT_BAD)

TEXTS = (pl.String, pl.Categorical, pl.Enum)
INTS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.Int128,
        pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)
FLOATS = (pl.Float32, pl.Float64)
# json.dumps' short escapes; the other characters below 0x20 (\u00XX) are left to the row path.
ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
OTHER_CONTROL = r"[\x00-\x07\x0b\x0e-\x1f]"
PLAIN_NUMBER = r"^-?[0-9]+(?:\.[0-9]+)?$"


def field_json(f: Field, expr: pl.Expr, dtype: pl.DataType, facts: Facts = Facts()) -> Enc:
    """A top-level field's JSON value, by the field's type as payload.convert dispatches it.
    `facts`: what the caller saw in the frame (paths start with the field's name)."""
    text, bad = _field_json(f, expr, dtype, facts, (f.name,))
    return text, _masked(expr, bad)


def omits(f: Field, dtype: pl.DataType) -> bool:
    """Whether a non-null value may still be left out (an empty object, '' as JSON text)."""
    return dtype == pl.Null or f.type == "Object" or (f.type == "Array" and not isinstance(dtype, pl.List))


def nested(expr: pl.Expr, dtype: pl.DataType, facts: Facts = Facts(), path: tuple = ()) -> Enc:
    """payload._clean + json.dumps of a value inside an Object/Array: nulls and empty objects
    left out, keys sorted, dates dd/mm/aaaa, decimals as floats, bools true/false."""
    text, bad = _nested(expr, dtype, facts, path)
    return text, _masked(expr, bad)


def _masked(expr: pl.Expr, bad: pl.Expr) -> pl.Expr:
    return bad if bad is NOT_BAD else present(expr.is_not_null() & bad)


def _field_json(f: Field, expr: pl.Expr, dtype: pl.DataType, facts: Facts, path: tuple) -> Enc:
    if dtype == pl.Null:
        return NO_TEXT, NOT_BAD
    if f.type in ("Array", "Object"):
        return _structured(f, expr, dtype, facts, path)
    if f.is_date:
        return _date_field(expr, dtype)
    if f.type == "Integer":
        return _integer_field(expr, dtype)
    if f.type == "Decimal":
        return _decimal_field(f, expr, dtype)
    return _text_field(f, expr, dtype, facts.plain_string(path))


def _bad_when_present(expr: pl.Expr) -> Enc:
    return NO_TEXT, expr.is_not_null()


def _is(dtype: pl.DataType, kinds) -> bool:
    return any(dtype == k or isinstance(dtype, k) for k in kinds)


def json_string(expr: pl.Expr, plain: bool = False) -> Enc:
    """A Python str as json.dumps(ensure_ascii=False) quotes it (`plain`: nothing to escape)."""
    text = expr.cast(pl.String)
    if plain:
        return quoted(text), NOT_BAD
    escaped = text.str.replace_many(list(ESCAPES), list(ESCAPES.values()))
    return quoted(escaped), text.str.contains(OTHER_CONTROL)


def quoted(expr: pl.Expr) -> Pieces:
    """Text made only of digits, signs, dots and slashes, or escaped already."""
    return Pieces(('"', expr, '"'))


def _date_text(expr: pl.Expr, dtype: pl.DataType) -> Enc | None:
    """dd/mm/aaaa of a Date or naive Datetime (years 1000-9999: Python's %Y does not pad)."""
    if dtype == pl.Date or (isinstance(dtype, pl.Datetime) and dtype.time_zone is None):
        year = expr.dt.year()
        return quoted(expr.dt.strftime("%d/%m/%Y")), (year < 1000) | (year > 9999)
    return None


def _text_field(f: Field, expr: pl.Expr, dtype: pl.DataType, plain_strings: bool) -> Enc:
    """payload._text: str(value), bools as S/N (or true/false), whole floats as ints."""
    if _is(dtype, TEXTS):
        return json_string(expr, plain_strings)
    if dtype == pl.Boolean:
        yes, no = ("S", "N") if f.allowed == ("S", "N") else ("true", "false")
        return pl.when(expr).then(pl.lit(f'"{yes}"')).when(~expr).then(pl.lit(f'"{no}"')), NOT_BAD
    if _is(dtype, INTS):
        return quoted(expr.cast(pl.String)), NOT_BAD
    if _is(dtype, FLOATS):
        x = expr.cast(pl.Float64)
        whole = _whole(x, 1e18)
        text = pl.when(whole).then(x.cast(pl.Int64, strict=False).cast(pl.String)).otherwise(_fraction_repr(x))
        return quoted(text), text.is_null()
    if isinstance(dtype, pl.Decimal):
        text = expr.cast(pl.String)
        # str(Decimal) turns to scientific notation below 1E-6 (and for 0E-7 and smaller).
        tiny = text.str.contains(r"^-?0\.0{6}")
        return quoted(text), tiny
    dated = _date_text(expr, dtype)
    return dated if dated is not None else _bad_when_present(expr)


def _date_field(expr: pl.Expr, dtype: pl.DataType) -> Enc:
    """payload._date: a DATE column, or 'YYYY-MM-DD[ T...]' / 'dd/mm/aaaa' text."""
    dated = _date_text(expr, dtype)
    if dated is not None:
        return dated
    if not _is(dtype, TEXTS):
        return _bad_when_present(expr)
    text = expr.cast(pl.String)
    # Printable ASCII with no space at either end: Python's strip() and \d agree with [0-9] there.
    iso = text.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][ -~]*)?$") & ~text.str.ends_with(" ")
    brazilian = text.str.contains(r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$")
    from_iso = pl.concat_str([text.str.slice(8, 2), text.str.slice(5, 2), text.str.slice(0, 4)], separator="/")
    out = pl.when(iso).then(from_iso).when(brazilian).then(text)
    return quoted(out), ~(iso | brazilian)


def _integer_field(expr: pl.Expr, dtype: pl.DataType) -> Enc:
    """payload._integer: int(Decimal(str(value))) of a whole number."""
    if _is(dtype, INTS):
        return expr.cast(pl.String), NOT_BAD
    if _is(dtype, FLOATS):
        # int(Decimal(str(x))) reads repr's digits: the exact value only below 1e16.
        x = expr.cast(pl.Float64)
        return x.cast(pl.Int64, strict=False).cast(pl.String), ~_whole(x, 1e16)
    if isinstance(dtype, pl.Decimal) or _is(dtype, TEXTS):
        text = expr.cast(pl.String)
        whole = text.str.contains(r"^-?[0-9]+(?:\.0*)?$")
        digits = text.str.replace(r"\..*$", "").str.replace(r"^(-?)0+([0-9])", "${1}${2}")
        digits = pl.when(digits == "-0").then(pl.lit("0")).otherwise(digits)
        return pl.when(whole).then(digits), ~whole
    return _bad_when_present(expr)


def _decimal_field(f: Field, expr: pl.Expr, dtype: pl.DataType) -> Enc:
    """payload._number: ints as they are, anything else as repr(float) when that is exact."""
    if _is(dtype, INTS):
        bad = (expr <= 0) if f.positive else NOT_BAD
        return expr.cast(pl.String), bad
    if _is(dtype, FLOATS):
        text, bad = float_json(expr.cast(pl.Float64))
        if f.positive:
            bad = bad | (expr.cast(pl.Float64) <= 0)
        return text, bad
    if isinstance(dtype, pl.Decimal):
        number, bad = decimal_json(expr, dtype)
        return number, (bad | (expr <= 0)) if f.positive else bad
    if _is(dtype, TEXTS):
        text = expr.cast(pl.String)
        plain = text.str.contains(PLAIN_NUMBER)
        number, bad = decimal_repr(pl.when(plain).then(text))
        bad = bad | ~plain
        if f.positive:
            bad = bad | number.str.starts_with("-") | (number == "0.0")
        return number, bad
    return _bad_when_present(expr)


def _whole(x: pl.Expr, limit: float) -> pl.Expr:
    """A finite whole float below `limit` in magnitude (so its Int64 cast is exact)."""
    return x.is_finite() & (x == x.floor()) & (x.abs() < limit)


def _fraction_repr(x: pl.Expr) -> pl.Expr:
    """repr() of a float with a fraction in 1e-4 <= |x| < 1e16, where Polars writes the same
    shortest digits as Python without an exponent; null elsewhere."""
    text = x.cast(pl.String)
    fits = x.is_finite() & (x.abs() >= 1e-4) & (x.abs() < 1e16) & text.str.contains(r"^-?[0-9]+\.[0-9]+$")
    return pl.when(fits).then(text)


def float_json(x: pl.Expr) -> Enc:
    """json.dumps of a float (float.__repr__); zero is left to the row path (-0.0 vs 0.0)."""
    whole = _whole(x, 1e16) & (x != 0)
    text = pl.when(whole).then(x.cast(pl.Int64, strict=False).cast(pl.String) + pl.lit(".0")).otherwise(_fraction_repr(x))
    return text, text.is_null()


def decimal_json(expr: pl.Expr, dtype: pl.Decimal) -> Enc:
    """repr(float(d)) of a DECIMAL column's value d: its own digits, trailing zeros dropped
    (one kept after the point), when d has at most 15 digits (a double keeps them, so repr
    writes them back) and 1e-4 <= |d| < 1e16 or d is 0 (repr writes no exponent there)."""
    text = expr.cast(pl.String)
    if dtype.scale == 0:
        text = pl.concat_str([text, pl.lit(".0")])
    else:
        text = text.str.strip_chars_end("0")
        text = pl.when(text.str.ends_with(".")).then(pl.concat_str([text, pl.lit("0")])).otherwise(text)
    if dtype.scale > 15:
        return text, expr != 0
    size = expr.cast(pl.Float64).abs()
    return text, (size >= 10.0 ** (15 - dtype.scale)) | ((size < 1e-4) & (expr != 0))


def decimal_repr(text: pl.Expr) -> Enc:
    """repr(float(Decimal(text))) of a plain decimal text, exact when it has at most 15
    significant digits (a double keeps 15) and repr writes it without an exponent
    (1e-4 <= |x| < 1e16)."""
    sign = pl.when(text.str.starts_with("-")).then(pl.lit("-")).otherwise(pl.lit(""))
    whole = text.str.extract(r"^-?([0-9]+)", 1).str.strip_chars_start("0")
    fraction = text.str.extract(r"\.([0-9]+)$", 1).fill_null("").str.strip_chars_end("0")
    significant = pl.concat_str([whole, fraction]).str.strip_chars("0").str.len_chars()
    leading = fraction.str.len_chars() - fraction.str.strip_chars_start("0").str.len_chars()
    zero = (whole == "") & (fraction == "")
    bad = ((significant > 15) | (whole.str.len_chars() > 16)
           | ((whole == "") & ~zero & (leading > 3)))
    number = pl.concat_str([sign, pl.when(whole == "").then(pl.lit("0")).otherwise(whole), pl.lit("."),
                            pl.when(fraction == "").then(pl.lit("0")).otherwise(fraction)])
    return number, bad


def _structured(f: Field, expr: pl.Expr, dtype: pl.DataType, facts: Facts, path: tuple) -> Enc:
    """payload._structured: STRUCT columns for Object fields, LIST columns for Array fields.
    JSON text in a string column is the row path's; an empty string is left out as there."""
    if _is(dtype, TEXTS):
        text = expr.cast(pl.String)
        return NO_TEXT, text != ""
    if f.type == "Object" and isinstance(dtype, pl.Struct) or f.type == "Array" and isinstance(dtype, pl.List):
        return nested(expr, dtype, facts, path)
    return _bad_when_present(expr)


def _nested(expr: pl.Expr, dtype: pl.DataType, facts: Facts, path: tuple) -> Enc:
    if dtype == pl.Null:
        return NO_TEXT, NOT_BAD
    if _is(dtype, TEXTS):
        return json_string(expr, dtype == pl.String and facts.plain_string(path))
    if dtype == pl.Boolean:
        return pl.when(expr).then(pl.lit("true")).when(~expr).then(pl.lit("false")), NOT_BAD
    if _is(dtype, INTS):
        return expr.cast(pl.String), NOT_BAD
    if _is(dtype, FLOATS):
        return float_json(expr.cast(pl.Float64))
    if isinstance(dtype, pl.Decimal):
        return decimal_json(expr, dtype)
    if isinstance(dtype, pl.Struct) and dtype.fields:
        return _object(expr, dtype, facts, path)
    if isinstance(dtype, pl.List):
        return _array(expr, dtype, facts, path)
    dated = _date_text(expr, dtype)
    return dated if dated is not None else _bad_when_present(expr)


def _object(expr: pl.Expr, dtype: pl.Struct, facts: Facts, path: tuple) -> Enc:
    """A STRUCT as a dict: members sorted by name, null members and empty objects left out
    (an object with no member left is itself left out)."""
    members, bads = [], []
    for fld in sorted(dtype.fields, key=lambda x: x.name):
        where = path + (fld.name,)
        text, bad = nested(expr.struct.field(fld.name), fld.dtype, facts, where)
        always = facts.always(where) and not _may_vanish(fld.dtype)
        members.append((json.dumps(fld.name, ensure_ascii=False) + ":", text, always))
        bads.append(bad)
    text = object_text(members)
    if not any(always for _, _, always in members):
        text = pl.when(text != "{}").then(text)
    if not facts.always(path):
        text = pl.when(expr.is_not_null()).then(text)
    return text, any_bad(bads)


def _may_vanish(dtype: pl.DataType) -> bool:
    """Whether a non-null nested value may be left out: only an object that ends up empty."""
    return dtype == pl.Null or isinstance(dtype, pl.Struct)


def _array(expr: pl.Expr, dtype: pl.List, facts: Facts, path: tuple) -> Enc:
    text, bad = nested(pl.element(), dtype.inner, facts, path + ("[]",))
    joined = expr.list.eval(as_expr(text)).list.drop_nulls().list.join(",")
    return Pieces(("[", joined, "]")), NOT_BAD if bad is NOT_BAD else expr.list.eval(bad).list.any()
