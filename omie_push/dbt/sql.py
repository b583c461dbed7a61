"""Quoting names and strings into DuckDB SQL (ATTACH takes no parameters)."""
from __future__ import annotations


def quote_id(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
