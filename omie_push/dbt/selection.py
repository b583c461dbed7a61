"""Which omie models and endpoints a command works on: `--select` and `--exclude`, as in dbt.

    --select omie_clientes omie_vendedores      several names, space-separated ...
    --select omie_clientes,omie_vendedores      ... or comma-separated (both mean "either")
    --select +omie_contas_receber               the endpoint and every endpoint it waits for
    --select omie_clientes+                     the endpoint and every endpoint that waits for it

A name is a dbt model, an omie view or an endpoint (`clientes`); `+` follows Omie's push order
(`parents`: the catalog's, plus a model's `meta.omie.depends_on`). For a push, any view of an
endpoint selects (or excludes) the whole endpoint, since its views are sent together.
`omie-push validate` and the push both choose here, so a name is checked once, the same way.
Unlike dbt, a comma does not intersect: omie views have one name each, so it only separates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .. import catalog
from ..catalog import Endpoint
from ..errors import ProjectError


@dataclass(frozen=True)
class Selector:
    """One name of --select/--exclude, with dbt's graph operators."""

    name: str
    parents: bool = False      # +name
    children: bool = False     # name+


def selectors(values: Iterable[str]) -> list[Selector]:
    """The selectors of the given option values, split on commas and spaces."""
    found = []
    for value in values:
        for word in re.split(r"[\s,]+", value.strip()):
            if word:
                name = word.strip("+")
                found.append(Selector(name, word.startswith("+"), word.endswith("+")))
    return found


def parents(ep: Endpoint, models=()) -> tuple[str, ...]:
    """The endpoints that must finish before `ep`: the catalog's and any the endpoint's models
    declare in meta.omie.depends_on."""
    declared = [d for m in models if m.endpoint == ep.name for d in _listed(m.meta.get("depends_on"))]
    return catalog.parents_of(ep, declared)


def _listed(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _closure(start: set[str], step) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for nxt in step(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _check(models, chosen: list[Selector]) -> None:
    known = {n for m in models for n in (m.name, m.view)}
    endpoints = {ep.name for ep in catalog.ENDPOINTS}
    for s in chosen:
        if s.name not in known and s.name not in endpoints:
            raise ProjectError(
                f"--select/--exclude {s.name!r}: no dbt model with meta.omie.endpoint is named so, "
                f"nor any endpoint. Known models: {', '.join(sorted(known)) or 'none'}; "
                f"endpoints: {', '.join(sorted(endpoints))}.")


def _matches(models, chosen: list[Selector]) -> tuple[set[str], set[str]]:
    """(model names picked by name, endpoints picked by endpoint name or a graph operator)."""
    by_name = {ep.name: ep for ep in catalog.ENDPOINTS}
    named, endpoints = set(), set()
    for s in chosen:
        hits = [m for m in models if s.name in (m.name, m.view)]
        named |= {m.name for m in hits}
        base = {m.endpoint for m in hits} | ({s.name} if s.name in by_name else set())
        if not (s.parents or s.children) and hits:
            continue
        picked = set(base)
        if s.parents:
            picked |= _closure(base, lambda e: parents(by_name[e], models))
        if s.children:
            picked |= _closure(base, lambda e: [c.name for c in catalog.ENDPOINTS
                                                if e in parents(c, models)])
        endpoints |= picked
    return named, endpoints


def _picked(models, values) -> list:
    chosen = selectors(values)
    _check(models, chosen)
    named, endpoints = _matches(models, chosen)
    return [m for m in models if m.name in named or m.endpoint in endpoints]


def select_models(models, select=(), exclude=()) -> list:
    """The models named by --select (all when none) and not by --exclude, in push order."""
    chosen = _picked(models, select) if selectors(select) else list(models)
    dropped = {m.name for m in _picked(models, exclude)}
    return [m for m in chosen if m.name not in dropped]


def chosen_endpoints(models, select=(), exclude=()) -> list[Endpoint]:
    """Endpoints with a model, narrowed by --select/--exclude (any view of an endpoint picks the
    whole endpoint), disabled ones (meta.omie.enabled: false on the endpoint's main view) left
    out; in push order."""
    wanted = {m.endpoint for m in (_picked(models, select) if selectors(select) else models)}
    wanted -= {m.endpoint for m in _picked(models, exclude)}
    enabled = {m.endpoint for m in models if m.view == catalog.get(m.endpoint).view and m.enabled}
    return [ep for ep in catalog.ENDPOINTS if ep.name in wanted and ep.name in enabled]
