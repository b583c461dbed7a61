"""Failure isolation: one view that cannot be read, validated or prepared stops its endpoint
and the endpoints that wait for it, and nothing else.

- `failure_reason` turns whatever went wrong with a view (a DuckDB CatalogException, a cast
  error in the view's SQL, a Polars error, a bug in a payload) into one line naming the view
  and the fix, so the run goes on and the report says why instead of a traceback.
- `parent_hold` says why a child endpoint must wait: a parent endpoint the project feeds could
  not run in this run (not built, failed to read...), or was left out of this run and Omie never
  accepted a record of it. Its rows are then held (`hold_all`), never sent with empty parent
  ids (`codigo_vendedor` blank) to be sent again once the parent lands.
"""
from __future__ import annotations

from typing import Callable

from ..catalog import Endpoint, get
from ..errors import OmiePushError
from ..store.ledger import RowRecord
from .order import parents

STAGES = {"read": "could not be read", "prepare": "could not be validated or prepared"}


def failure_reason(view: str, exc: BaseException, stage: str) -> str:
    """One line: the view, what failed, Omie-push's own message or the first line of the
    library's, and the fix."""
    if isinstance(exc, OmiePushError):
        return _one_line(str(exc))
    first = _one_line(str(exc)) or type(exc).__name__
    fix = (f"Fix: check the view's SQL and run `dbt build --select {view}` again"
           if stage == "read" else
           f"Fix: check the view's columns and types (`omie-push validate --select {view}`)")
    return f"{view} {STAGES[stage]}: {type(exc).__name__}: {first}. {fix}."


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return "; ".join(lines)[:800]


def parent_hold(ep: Endpoint, models, chosen: set[str], unavailable: set[str],
                accepted: Callable[[str], bool]) -> str | None:
    """Why every row of `ep` must wait, or None. Only parents the project feeds count (an
    enabled model of the parent's main view)."""
    fed = {m.endpoint for m in models if m.enabled and m.view == get(m.endpoint).view}
    for parent in parents(ep, models):
        if parent not in fed:
            continue
        view = get(parent).view
        if parent in unavailable:
            return (f"held: its parent {view} was not pushed in this run (see {view}); "
                    f"fix {view} and run again")
        if parent not in chosen and not accepted(parent):
            return (f"held: its parent {view} was never pushed; push it first "
                    f"(omie-push --select +{ep.view})")
    return None


def hold_all(prep, reason: str) -> None:
    """Every row about to be sent is recorded held instead, with the reason; so is every row
    validation refused (a child row missing its parent's Omie id is refused for that alone),
    its reasons kept for when the parent has landed."""
    for record in prep.known:
        if record.status == "rejected":
            record.status, record.note = "held", f"{reason} (and: {record.note})"
    for cand in prep.to_send:
        prep.known.append(RowRecord(prep.endpoint.name, prep.view, cand.key, "held",
                                    payload_hash=cand.payload_hash, payload=cand.param,
                                    note=reason))
    prep.to_send = []


def guard_deletes(ep: Endpoint, prep, limit: int) -> None:
    """An Excluir endpoint deletes at most `limit` records in one run: above it none is sent
    (a view gone wrong could mark every receivable cancelled), each held with the reason."""
    n = len(prep.to_send)
    if ep.kind != "delete" or n <= limit:
        return
    hold_all(prep, f"held: {n} deletes in {ep.view} exceed the {limit} one run may make "
                   f"(max_deletes of the target); none sent. Check the view; if they are "
                   f"meant, run with --allow-deletes {n}")
