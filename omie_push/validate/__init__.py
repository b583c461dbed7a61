"""Validation before sending: GX suites generated from the catalog, the schema check, per-row
verdicts (`validate_view`) and the `omie-push validate` / `expectations` commands.

Attributes load on first use, so importing this package (as the CLI does) stays light.
"""
from __future__ import annotations

import importlib

_LAZY = {
    "validate_view": "engine",
    "check_schema": "schema",
    "ValidationResult": "result",
    "RejectedRow": "result",
    "Reason": "result",
    "build_suite": "suite",
    "build_all": "suite",
}

__all__ = list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
