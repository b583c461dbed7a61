"""The exact rules behind the custom checks, shared by the GX side (pandas) and the Polars masks.

Patterns are plain ASCII classes, without `\\d`, `\\s` or `$`-before-newline subtleties, so that
Python's `re`, pyarrow's RE2 and Polars' Rust regex read them the same way.
"""
from __future__ import annotations

# CPF 529.982.247-25 or 52998224725; CNPJ 11.222.333/0001-81 or 11222333000181. Since July 2026
# a CNPJ may hold letters in its first 12 places (Receita Federal's alphanumeric CNPJ); its
# check digits stay numeric and each letter counts as its ASCII code minus 48.
CPF_PATTERN = r"[0-9]{3}\.?[0-9]{3}\.?[0-9]{3}-?[0-9]{2}"
CNPJ_PATTERN = r"[0-9A-Z]{2}\.?[0-9A-Z]{3}\.?[0-9A-Z]{3}/?[0-9A-Z]{4}-?[0-9]{2}"
DOC_PATTERN = f"(?:{CPF_PATTERN}|{CNPJ_PATTERN})"
DOC_SEPARATORS = r"[./-]"
CPF_WEIGHTS = ((10, 9, 8, 7, 6, 5, 4, 3, 2), (11, 10, 9, 8, 7, 6, 5, 4, 3, 2))
CNPJ_WEIGHTS = ((5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2))

# A plausible address: local@domain.tld, ASCII; a list is addresses separated by commas.
_LOCAL = r"[A-Za-z0-9.!#%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
EMAIL_PATTERN = rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,}}"
EMAIL_LIST_PATTERN = rf" *{EMAIL_PATTERN} *(?:, *{EMAIL_PATTERN} *)*"

# A date as text: exactly YYYY-MM-DD.
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def anchored(pattern: str) -> str:
    """The pattern matched against the whole value."""
    return f"^(?:{pattern})$"


def check_digit(values: list[int], weights: tuple[int, ...]) -> int:
    """Modulo 11 check digit, as the Receita Federal defines it for CPF and CNPJ."""
    rest = sum(v * w for v, w in zip(values, weights)) % 11
    return 0 if rest < 2 else 11 - rest
