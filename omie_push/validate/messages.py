"""Plain-language reasons a user can act on, one per failed expectation and row."""
from __future__ import annotations

import re

from . import rules, suite


def _shown(value) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _date_message(field: str, value, kw: dict) -> str:
    text = str(value)
    if re.fullmatch(rules.DATE_PATTERN, text):
        year = int(text[:4])
        if 0 < year < kw.get("min_year", suite.MIN_YEAR):
            return f"{field} {_shown(value)} is too old; Omie wants a year after 1900"
        return f"{field} {_shown(value)} is not a real date"
    return f"{field} {_shown(value)} is not a date; write it as DATE or YYYY-MM-DD"


def _doc_message(field: str, value) -> str:
    if re.fullmatch(rules.DOC_PATTERN, str(value)):
        return f"{field} {_shown(value)} has wrong check digits"
    return (f"{field} {_shown(value)} is not a CPF or CNPJ (11 or 14 digits, "
            f"with or without . / -)")


def message(expectation: dict, value) -> str:
    """The sentence for one row failing one expectation; `value` is the offending value."""
    kind, kw = expectation["type"], expectation["kwargs"]
    field = expectation.get("meta", {}).get("omie_field") or kw.get("column", "?")
    if kind == suite.NOT_NULL:
        hint = expectation.get("meta", {}).get("hint")
        return f"{field} is empty; Omie requires it" + (f" ({hint})" if hint else "")
    if kind == suite.NOT_BLANK:
        return f"{field} is blank; Omie requires it"
    if kind == suite.MAX_LENGTH:
        return (f"{field} is {len(str(value))} characters; Omie accepts at most "
                f"{kw.get('max_value')}")
    if kind == suite.IN_SET:
        return f"{field} {_shown(value)} is not one of {', '.join(map(str, kw['value_set']))}"
    if kind == suite.REAL_DATE:
        return _date_message(field, value, kw)
    if kind == suite.CPF_CNPJ:
        return _doc_message(field, value)
    if kind == suite.EMAIL_LIST:
        return (f"{field} {_shown(value)} is not a plausible e-mail address list "
                f"(name@domain.tld, several separated by commas)")
    if kind == suite.WHOLE:
        return f"{field} {_shown(value)} is not a whole number"
    if kind == suite.FINITE:
        return f"{field} {_shown(value)} is not a finite number"
    if kind in (suite.UNIQUE, suite.UNIQUE_TOGETHER):
        return (f"{field} {_shown(value)} appears in more than one row; each row needs its own "
                f"(all of them are held back)")
    if kind == suite.ONE_OF:
        return f"{' and '.join(kw['column_list'])} are all empty; fill at least one"
    return f"{field} {_shown(value)} fails {kind}"
