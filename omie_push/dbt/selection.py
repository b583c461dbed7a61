"""Which omie models and endpoints a command works on: `--select` and `--exclude`.

They name dbt models, omie views or endpoints; for a push any view of an endpoint selects (or
excludes) the whole endpoint, since its views are sent together. `omie-push validate` and the
push both choose here, so a name is checked once, the same way.
"""
from __future__ import annotations

from typing import Iterable

from .. import catalog
from ..catalog import Endpoint
from ..errors import ProjectError


def _names(model) -> set[str]:
    return {model.name, model.view, model.endpoint}


def check_names(models, wanted: Iterable[str]) -> None:
    """Every name must be a model, a view or an endpoint; else a usage error listing the known."""
    known = {n for m in models for n in (m.name, m.view)}
    endpoints = {ep.name for ep in catalog.ENDPOINTS}
    for name in wanted:
        if name not in known and name not in endpoints:
            raise ProjectError(f"--select/--exclude {name!r}: no dbt model with meta.omie.endpoint "
                               f"is named so. Known: {', '.join(sorted(known)) or 'none'}.")


def select_models(models, select=(), exclude=()) -> list:
    """The models named by --select (all when none) and not by --exclude."""
    check_names(models, (*select, *exclude))
    chosen = [m for m in models if not select or _names(m) & set(select)]
    return [m for m in chosen if not _names(m) & set(exclude)]


def chosen_endpoints(models, select=(), exclude=()) -> list[Endpoint]:
    """Endpoints with a model, narrowed by --select/--exclude, disabled ones
    (meta.omie.enabled: false on the endpoint's main view) left out; in push order."""
    check_names(models, (*select, *exclude))
    wanted = {m.endpoint for m in models if not select or _names(m) & set(select)}
    wanted -= {m.endpoint for m in models if _names(m) & set(exclude)}
    enabled = {m.endpoint for m in models if m.view == catalog.get(m.endpoint).view and m.enabled}
    return [ep for ep in catalog.ENDPOINTS if ep.name in wanted and ep.name in enabled]
