"""Omie's misuse window across runs (issue 10, case 7).

Omie blocks a key's method for ~30 minutes on its 10th errored call within its window, and
the window spans runs: a cron every 5 minutes sending the same two refused rows walked into
the block in about 25 minutes. So:

- `seed_breakers`: before the first call, each method's breaker starts from the refusals
  row_results holds for this company in the last `misuse_window_seconds`;
- `hold_refused`: a row whose last answer was a permanent refusal (a RECORD fault: invalid
  value, duplicate CNPJ, ...) is not sent again with the same payload; it is held with Omie's
  text until the row changes, or the user asks with `--retry-refused`. Transient failures
  (timeouts, 5xx, Broken response, 429) are retried on every run as before.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from .. import catalog
from ..client.faults import FaultClass, classify
from ..store import refusals
from ..store.ledger import RowRecord, now


def counted(fault_text: str | None, faultcode: str | None) -> bool:
    """Whether Omie counted this recorded failure as an error of the method (the breaker's
    rule): a refusal of the row, or Client-1880. Failures without Omie's faultcode (timeouts,
    dropped connections, HTML 5xx pages) were never Omie's answers."""
    if not faultcode:
        return False
    fault = classify(500, {"faultstring": fault_text or "", "faultcode": faultcode})
    return fault is not None and (fault.fault_class is FaultClass.RECORD
                                  or fault.kind == "method_busy")


def permanent(fault_text: str | None, faultcode: str | None) -> bool:
    """A refusal that would come back unchanged for the same payload."""
    if not faultcode:
        return False
    fault = classify(500, {"faultstring": fault_text or "", "faultcode": faultcode})
    return fault is not None and fault.fault_class is FaultClass.RECORD


def seed_breakers(ctx, sender) -> int:
    """Hand the sender the errors of the last window; returns how many there were."""
    remember = getattr(sender, "remember", None)
    if remember is None:
        return 0
    moment = now()
    since = moment - timedelta(seconds=ctx.settings.budgets.misuse_window_seconds)
    ages: dict[str, list[float]] = defaultdict(list)
    for past in refusals.recent_failures(ctx.recorder.con, ctx.settings.app_key, since):
        if counted(past.fault, past.faultcode):
            ages[catalog.get(past.endpoint).call].append((moment - past.recorded_at).total_seconds())
    remember(dict(ages))
    return sum(len(v) for v in ages.values())


def hold_refused(ctx, prep) -> None:
    """Move the rows Omie refused for good, with this very payload, from to_send to held."""
    if getattr(ctx.options, "retry_refused", False) or not prep.to_send:
        return
    last = refusals.last_refusals(ctx.recorder.con, ctx.settings.app_key, prep.endpoint.name)
    keep = []
    for cand in prep.to_send:
        past = last.get(cand.key)
        if past is None or past.payload_hash != cand.payload_hash \
                or not permanent(past.fault, past.faultcode):
            keep.append(cand)
            continue
        prep.known.append(RowRecord(
            prep.endpoint.name, prep.view, cand.key, "held", payload_hash=cand.payload_hash,
            payload=cand.param, fault=past.fault, faultcode=past.faultcode,
            note=(f"Omie refused this same row at {past.recorded_at:%Y-%m-%d %H:%M} UTC: "
                  f"\"{past.fault}\"; not sent again until the row changes (or --retry-refused)")))
    prep.to_send = keep
