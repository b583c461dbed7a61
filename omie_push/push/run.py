"""One run: every selected endpoint in dependency order, each read, prepared, sent, recorded.

Endpoints whose parents are done run concurrently (asyncio); each endpoint reads its views
when it starts, so a view that joins `omie_ids` sees the ids its parents got in this run.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

from ..catalog import Endpoint
from ..dbt import warehouse
from ..dbt.selection import chosen_endpoints
from ..errors import OmiePushError, ViewError
from ..store.ledger import RowRecord, now
from .context import RunContext, RunOptions, new_run_id
from . import journal
from .deliver import deliver
from .order import effective_settings, parents
from .prepare import Prepared, prepare
from .recorder import Recorder
from .report import BAD, EndpointReport, RunReport

__all__ = ["Run", "RunOptions"]


class Run:
    """One push of a dbt project's omie views to one target."""

    def __init__(self, project, config, options: RunOptions, reporter,
                 sender_factory: Callable | None = None):
        self.project, self.config, self.options = project, config, options
        self.reporter, self.sender_factory = reporter, sender_factory
        self.run_id = new_run_id()
        self.report = RunReport(self.run_id, config.settings.name, options.dry_run)

    def execute(self) -> RunReport:
        models = self.project.omie_models()
        chosen = chosen_endpoints(models, self.options.select, self.options.exclude)
        settings = effective_settings(self.config.settings, models)
        recorder = Recorder(self.config.results_path, settings.app_key)
        ctx = RunContext(self.run_id, self.options, settings, models, recorder, self.reporter,
                         self.report)
        try:
            if not self.options.dry_run:
                recorder.lock(self.run_id)       # one pushing run per results store and company
            journal.say_new_ledger(ctx)
            started, clock = now(), time.monotonic()
            recorder.begin(self.run_id, settings.name, self.options.dry_run,
                           self.options.full_refresh, self._options_record(chosen), started)
            outcome = "crashed"
            try:
                asyncio.run(self._all(ctx, chosen))
                outcome = self.report.outcome
            finally:
                recorder.finish(self.run_id, self.report.as_dict()["endpoints"], outcome,
                                self.report.exit_code, now(), time.monotonic() - clock)
        finally:
            recorder.close()
            recorder.unlock()
        return self.report

    def _make_sender(self, settings):
        if self.sender_factory is not None:
            return self.sender_factory(settings)
        from ..client import make_sender

        return make_sender(settings, transport=self.config.transport())

    async def _all(self, ctx: RunContext, chosen: list[Endpoint]) -> None:
        sender = None if self.options.dry_run else self._make_sender(ctx.settings)
        done = {ep.name: asyncio.Event() for ep in chosen}
        try:
            if sender is not None:               # settle what a killed run left, then plan
                journal.hook(ctx, sender)
                await journal.resolve_left(ctx, sender)
            await asyncio.gather(*(self._endpoint(ctx, ep, sender, done) for ep in chosen))
        finally:
            close = getattr(sender, "aclose", None)
            if close is not None:
                await close()

    async def _endpoint(self, ctx: RunContext, ep: Endpoint, sender, done) -> None:
        rep = EndpointReport(ep.name, ep.view)
        ctx.report.endpoints.append(rep)
        ctx.bad_keys[ep.name] = set()
        try:
            for parent in parents(ep, ctx.models):
                if parent in done:
                    await done[parent].wait()
            if ctx.report.stopped:
                rep.error = f"not started: the run was stopped ({ctx.report.stopped})"
                ctx.unavailable.add(ep.name)
            elif (prep := self._prepare(ctx, ep, rep)) is not None:
                await deliver(ctx, ep, prep, rep, sender)
            self.reporter.endpoint_done(rep)
        except Exception as exc:
            # a bug: children must not go on as if this endpoint had succeeded
            ctx.report.stopped = f"internal error while pushing {ep.view}: {type(exc).__name__}"
            raise
        finally:
            done[ep.name].set()

    def _prepare(self, ctx: RunContext, ep: Endpoint, rep: EndpointReport) -> Prepared | None:
        try:
            frames = self._read(ctx, ep)
            prep = prepare(ep, frames, ctx.recorder.accepted(ep.name), ctx.blocked,
                           self.options.full_refresh)
        except OmiePushError as exc:
            rep.error = str(exc)
            ctx.unavailable.add(ep.name)
            return None
        ctx.recorder.known(self.run_id, prep.known)
        for record in prep.known:
            rep.counts[(record.view, record.status)] += 1
            if record.status in ("rejected", "held"):
                ctx.report.problems.append((record.view, record.key, record.status, _why(record)))
            if record.status in BAD and record.key is not None and record.view == ep.view:
                ctx.bad_keys[ep.name].add(record.key)
        rep.to_send = len(prep.to_send)
        return prep

    def _read(self, ctx: RunContext, ep: Endpoint) -> dict[str, Any]:
        """Each view of the endpoint, read now (after the parents were pushed)."""
        with ctx.recorder.file.connection(read_only=True) as con:   # released after reading
            return self._read_views(ctx, ep, con)

    def _read_views(self, ctx: RunContext, ep: Endpoint, con) -> dict[str, Any]:
        frames = {}
        for view in ep.views:
            model = next((m for m in ctx.models if m.view == view.name), None)
            if model is None:
                if view.name == ep.view:
                    raise ViewError(f"{ep.name}: no dbt model feeds {view.name}.")
                continue
            refusal = model.refusal(exists=model.build_status is not None
                                    or warehouse.relation_exists(self.project, model, con))
            if refusal:
                raise ViewError(refusal)
            frames[view.name] = warehouse.read_view(self.project, model, con)
        return frames

    def _options_record(self, chosen: list[Endpoint]) -> dict[str, Any]:
        return {"select": list(self.options.select), "exclude": list(self.options.exclude),
                "partial_success": self.options.partial_success,
                "endpoints": [ep.name for ep in chosen], "base_url": self.config.base_url}


def _why(record: RowRecord) -> str:
    if record.reasons:
        return "; ".join(str(r.get("message") or r.get("expectation")) for r in record.reasons)
    return record.note or record.status
