"""The order of a push and each endpoint's own settings.

Parents first: the catalog's (`catalog.parents_of`) plus whatever a model's
`meta.omie.depends_on` declares (`dbt.selection.parents`, which `+` in --select follows too).
Settings a model's `meta.omie` may change: the lot size (`lot_size`) and whether refused rows
stop the endpoint (`partial_success`).
"""
from __future__ import annotations

from dataclasses import replace

from .. import catalog
from ..catalog import Endpoint
from ..client.types import TargetSettings
from ..dbt.selection import parents

__all__ = ["effective_settings", "parents", "partial_success"]


def effective_settings(settings: TargetSettings, models) -> TargetSettings:
    """The target's settings with what the models' meta.omie set: the lot size belongs to the
    one endpoint whose lot call answers per record."""
    for m in models:
        if m.lot_size is not None and catalog.get(m.endpoint).sends_lots:
            settings = replace(settings, lot_size=m.lot_size)
    return settings


def partial_success(ep: Endpoint, models, option: bool | None) -> bool:
    """--partial-success/--fail-fast, else the main view's meta.omie.partial_success, else on."""
    if option is not None:
        return option
    meta = next((m for m in models if m.view == ep.view), None)
    return True if meta is None or meta.partial_success is None else meta.partial_success
