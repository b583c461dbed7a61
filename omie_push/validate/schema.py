"""The schema check: before any row is judged, the view's columns must be fields of its endpoint,
of the right kind, with every required field present. A failure here stops the whole endpoint."""
from __future__ import annotations

import difflib

import polars as pl

from ..catalog import Endpoint, Field, View, find_view
from ..errors import ViewError

TEXT_KINDS = ("String", "Text")
# A view's column naming each row's Omie company (docs/companies.md): no Omie field, it routes
# the row to its company; the push drops it before validating each company's rows.
COMPANY_COLUMN = "omie_company"
NUMBER_KINDS = ("Integer", "Decimal")


def lookup(view_name: str) -> tuple[Endpoint, View]:
    try:
        return find_view(view_name)
    except KeyError as exc:
        raise ViewError(exc.args[0]) from None


def _kind_problem(field: Field, dtype: pl.DataType) -> str | None:
    """Why a column of this dtype cannot feed this field, with the fix; None when it can."""
    if dtype == pl.Null:
        return None
    if field.type in TEXT_KINDS:
        if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum) or dtype.is_integer():
            return None
        if dtype == pl.Date and field.is_date:
            return None
        if dtype in (pl.Datetime,) or isinstance(dtype, pl.Datetime):
            return ("is a timestamp where Omie wants a date: cast it to DATE in the view"
                    if field.is_date else "is a timestamp where text belongs: cast it to VARCHAR")
        if dtype == pl.Boolean and field.allowed:
            return f"is a BOOLEAN where Omie wants {'/'.join(field.allowed)}: write " \
                   f"case when ... then 'S' else 'N' end in the view"
        return f"is {dtype} where text belongs: cast it to VARCHAR in the view"
    if field.type in NUMBER_KINDS:
        if dtype.is_numeric():
            return None
        if dtype == pl.String:
            return (f"is text where a number belongs ({field.type_label}): cast it to "
                    f"{'BIGINT' if field.type == 'Integer' else 'DECIMAL'} in the view")
        return f"is {dtype} where a number belongs: cast it to a numeric type in the view"
    if field.type == "Array":
        if isinstance(dtype, (pl.List, pl.Array)) or dtype == pl.String:
            return None
        if isinstance(dtype, pl.Struct):
            return "is a STRUCT where Omie wants a list: build a LIST of STRUCTs in the view"
        return f"is {dtype} where Omie wants a list: build a LIST (or JSON text) in the view"
    if field.type == "Object":
        if isinstance(dtype, pl.Struct) or dtype == pl.String:
            return None
        if isinstance(dtype, (pl.List, pl.Array)):
            return "is a LIST where Omie wants one object: build a STRUCT (not a list) in the view"
        return f"is {dtype} where Omie wants an object: build a STRUCT (or JSON text) in the view"
    return None


def _unknown_column(name: str, endpoint: Endpoint, view: View, fields: dict) -> str:
    close = difflib.get_close_matches(name, list(fields), n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return (f"{view.name}: column {name} is not a field of {endpoint.title} ({endpoint.call}); "
            f"{hint}rename or drop it. The fields this view may carry: `omie-push catalog "
            f"{endpoint.name}`")


def problems(view_name: str, schema: pl.Schema) -> list[str]:
    """Every schema problem of a view, each naming the view, the column and the fix."""
    endpoint, view = lookup(view_name)
    fields = {f.name: f for f in endpoint.fields_of(view)}
    found = []
    for name, dtype in schema.items():
        if name == COMPANY_COLUMN:
            continue
        field = fields.get(name)
        if field is None:
            found.append(_unknown_column(name, endpoint, view, fields))
        elif field.read_only:
            found.append(f"{view_name}: column {name} is read-only in Omie (Omie fills it): "
                         f"drop it from the view")
        elif (why := _kind_problem(field, dtype)) is not None:
            found.append(f"{view_name}: column {name} {why}")
    for field in fields.values():
        if field.required and not field.read_only and field.name not in schema:
            found.append(f"{view_name}: column {field.name} is missing; Omie requires it "
                         f"({field.type_label}): add it to the view")
    for group in endpoint.required_one_of:
        if set(group) <= set(fields) and not set(group) & set(schema):
            found.append(f"{view_name}: none of {', '.join(group)} is a column; Omie needs "
                         f"at least one of them: add one to the view")
    return found


def check_schema(view_name: str, frame: pl.DataFrame | pl.Schema) -> None:
    """Raise ViewError listing every schema problem of the view; nothing of it may be sent."""
    schema = frame if isinstance(frame, pl.Schema) else frame.schema
    found = problems(view_name, schema)
    if found:
        raise ViewError("\n".join(found))
