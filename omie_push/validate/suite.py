"""Build one GX suite per omie view from the endpoint catalog.

The suites are plain dicts in GX 1.x's ExpectationSuite JSON shape (name, expectations of
type/kwargs/meta, meta), written without ids so that regenerating gives the same bytes. Building
them needs no GX import: `omie-push expectations generate` stays quick.
"""
from __future__ import annotations

from ..catalog import Endpoint, Field, View, views

# Omie's date check: "O ano informado ... deve ser maior que 1900!" (omie-api.md §1.5).
MIN_YEAR = 1901
# Spaces only: a required text of these characters is empty to Omie. The no-break space is a
# literal character so that Python's `re` (GX) and Rust's regex (Polars) read it alike.
BLANK_REGEX = "^[ \\t\\n\\r\\f\\v\u00a0]*$"

# Custom expectations (see gx_custom.py): GX 1.x has nothing for these.
CPF_CNPJ = "expect_column_values_to_be_valid_cpf_cnpj"
REAL_DATE = "expect_column_values_to_be_real_dates"
EMAIL_LIST = "expect_column_values_to_be_email_lists"
WHOLE = "expect_column_values_to_be_whole_numbers"
FINITE = "expect_column_values_to_be_finite_numbers"
ONE_OF = "expect_at_least_one_of_columns_to_be_filled"
# Built-in GX expectations the suites use.
NOT_NULL = "expect_column_values_to_not_be_null"
NOT_BLANK = "expect_column_values_to_not_match_regex"
MAX_LENGTH = "expect_column_value_lengths_to_be_between"
IN_SET = "expect_column_values_to_be_in_set"
UNIQUE = "expect_column_values_to_be_unique"
UNIQUE_TOGETHER = "expect_compound_columns_to_be_unique"

# Required fields that hold the Omie id of a record an earlier endpoint pushes: empty until then.
PARENT_OMIE_IDS = {"nCodCli": "clientes"}

CUSTOM_TYPES = (CPF_CNPJ, REAL_DATE, EMAIL_LIST, WHOLE, FINITE, ONE_OF)
BUILT_IN_TYPES = (NOT_NULL, NOT_BLANK, MAX_LENGTH, IN_SET, UNIQUE, UNIQUE_TOGETHER)
TEXT_TYPES = ("String", "Text")


def _exp(type_: str, kwargs: dict, field: str, check: str, reason: str) -> dict:
    return {"type": type_, "kwargs": kwargs,
            "meta": {"omie_field": field, "check": check, "reason": reason}}


def field_expectations(field: Field) -> list[dict]:
    """The expectations one field carries, in a fixed order."""
    name, out = field.name, []
    if field.required:
        required = _exp(NOT_NULL, {"column": name}, name, "required",
                        f"Omie refuses a record without {name}")
        if name in PARENT_OMIE_IDS:
            required["meta"]["hint"] = (f"{name} is the Omie id of a record of "
                                        f"{PARENT_OMIE_IDS[name]}: a view that reads it from omie_ids "
                                        f"has it once that record was pushed")
        out.append(required)
        if field.type in TEXT_TYPES:
            out.append(_exp(NOT_BLANK, {"column": name, "regex": BLANK_REGEX}, name, "not_blank",
                            f"Omie reads a {name} of spaces only as missing"))
    if field.allowed:
        out.append(_exp(IN_SET, {"column": name, "value_set": list(field.allowed)}, name,
                        "allowed", f"Omie accepts only {', '.join(field.allowed)} in {name}"))
    elif field.is_date:
        out.append(_exp(REAL_DATE, {"column": name, "min_year": MIN_YEAR}, name, "date",
                        f"{name} must be a real calendar date (DATE or YYYY-MM-DD) "
                        f"with a year after 1900"))
    elif field.type == "String" and field.length:
        out.append(_exp(MAX_LENGTH, {"column": name, "max_value": field.length}, name,
                        "max_length", f"Omie refuses the whole record when {name} is longer "
                        f"than {field.length} characters"))
    if field.type == "Integer":
        out.append(_exp(WHOLE, {"column": name}, name, "integer",
                        f"{name} is an Integer field in Omie"))
    elif field.type == "Decimal":
        out.append(_exp(FINITE, {"column": name}, name, "number",
                        f"{name} is a number field in Omie (no NaN or infinity)"))
    if name == "cnpj_cpf":
        out.append(_exp(CPF_CNPJ, {"column": name}, name, "cpf_cnpj",
                        f"Omie refuses a {name} whose CPF or CNPJ check digits are wrong"))
    elif name == "email":
        out.append(_exp(EMAIL_LIST, {"column": name}, name, "email",
                        f"Omie refuses the whole record when an address in {name} is invalid; "
                        "separate several addresses with commas"))
    return out


def _row_key_expectation(endpoint: Endpoint, view: View) -> dict | None:
    key = list(view.row_key)
    if not key:
        return None
    what = "integration key" if key == [endpoint.integration_key] else "row key"
    reason = (f"the {what} {', '.join(key)} identifies one record: two rows with the same "
              f"{what} would overwrite each other in Omie")
    if len(key) == 1:
        return _exp(UNIQUE, {"column": key[0]}, key[0], "unique", reason)
    return _exp(UNIQUE_TOGETHER, {"column_list": key, "ignore_row_if": "all_values_are_missing"},
                ", ".join(key), "unique", reason)


def build_suite(endpoint: Endpoint, view: View) -> dict:
    """The suite of one view: every writable field's checks, the required groups, the row key."""
    expectations: list[dict] = []
    for field in endpoint.fields_of(view):
        if not field.read_only:
            expectations.extend(field_expectations(field))
    carried = {f.name for f in endpoint.fields_of(view)}
    for group in endpoint.required_one_of:
        if set(group) <= carried:
            names = " or ".join(group)
            expectations.append(_exp(ONE_OF, {"column_list": list(group), "ignore_row_if": "never"},
                                     ", ".join(group),
                                     "one_of", f"Omie needs {names}: fill at least one"))
    key = _row_key_expectation(endpoint, view)
    if key:
        expectations.append(key)
    return {
        "name": view.name,
        "expectations": expectations,
        "meta": {"generated_by": "omie-push expectations generate",
                 "endpoint": endpoint.name, "call": endpoint.call,
                 "note": "generated from omie_push.catalog: do not edit by hand"},
        "notes": None,
    }


def build_all() -> dict[str, dict]:
    """Every view's suite, by view name, in push order."""
    return {view.name: build_suite(endpoint, view) for endpoint, view in views()}
