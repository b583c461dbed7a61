"""One run: every selected endpoint in dependency order, each read, prepared, sent, recorded.

Endpoints whose parents are done run concurrently (asyncio); each endpoint reads its views
when it starts, so a view that joins `omie_ids` sees the ids its parents got in this run.
"""
from __future__ import annotations

import asyncio
import functools
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

from ..catalog import Endpoint
from ..dbt import warehouse
from ..dbt.selection import chosen_endpoints
from ..errors import FatalError, ViewError, exit_code_of
from ..store.ledger import RowRecord, now
from ..store.location import results_of
from ..store.refusals import last_refusals
from .context import RunContext, RunOptions, new_run_id
from . import drift, journal
from .deliver import deliver
from .isolation import failure_reason, guard_deletes, hold_all, parent_hold
from .order import effective_settings, parents
from .batches import SpilledRows, prepare_endpoint
from .prepare import Prepared, Settle
from .recorder import Recorder
from .refusals import hold_refused, seed_breakers
from .report import BAD, EndpointReport, RunReport

__all__ = ["Run", "RunOptions"]

# A push of the same company to the same URL that finished within these minutes proves the
# target answers: this run's preflight then waits for its first call, if it makes any.
PREFLIGHT_LAZY_MINUTES = 60


class Run:
    """One push of a dbt project's omie views to one target."""

    def __init__(self, project, config, options: RunOptions, reporter,
                 sender_factory: Callable | None = None, scope=None):
        self.project, self.config, self.options = project, config, options
        self.reporter, self.sender_factory = reporter, sender_factory
        # push.companies: one company of several (`scope`: its reads, push.scope.CompanyScope)
        self.scope = scope
        self._foreign: dict[str, list[RowRecord]] = {}
        self.run_id = new_run_id()
        self.report = RunReport(self.run_id, config.settings.name, options.dry_run)

    def execute(self) -> RunReport:
        asyncio.run(self.execute_async())
        return self.report

    async def execute_async(self) -> RunReport:
        models = self.project.omie_models()
        chosen = chosen_endpoints(models, self.options.select, self.options.exclude)
        settings = effective_settings(self.config.settings, models)
        recorder = Recorder(results_of(self.project, self.config.results_path,
                                       self.config.results_in, self.config.results_schema),
                            settings.app_key)
        ctx = RunContext(self.run_id, self.options, settings, models, recorder, self.reporter,
                         self.report)
        try:
            if not self.options.dry_run:
                recorder.lock(self.run_id)       # one pushing run per results store and company
            journal.say_new_ledger(ctx)
            started, clock = now(), time.monotonic()
            recorder.begin(self.run_id, settings.name, self.options.dry_run,
                           self.options.full_refresh, self._options_record(chosen), started)
            outcome, code = "crashed", 1
            try:
                await self._all(ctx, chosen)
                outcome, code = self.report.outcome, self.report.exit_code
            except BaseException as exc:
                code = exit_code_of(exc)     # what the process exits with (omie_push.cli.push)
                raise
            finally:
                self.report.duration_seconds = time.monotonic() - clock
                recorder.finish(self.run_id, self.report.as_dict()["endpoints"], outcome,
                                code, now(), self.report.duration_seconds)
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
        live = self.options.dry_run and self.options.live     # a dry run that reads Omie
        sender = None if self.options.dry_run and not live else self._make_sender(ctx.settings)
        done = {ep.name: asyncio.Event() for ep in chosen}
        self.chosen = set(done)
        try:
            if sender is not None and not await self._preflight_timed(ctx, sender):
                return
            seed_breakers(ctx, sender)
            if sender is not None and not self.options.dry_run:   # settle what a killed run left, then plan
                journal.hook(ctx, sender)
                await journal.resolve_left(ctx, sender)
            _import_pandas()
            watch = asyncio.create_task(_watch_loop(ctx.report))
            try:
                await asyncio.gather(*(self._endpoint(ctx, ep, sender, done) for ep in chosen))
            finally:
                watch.cancel()
        finally:
            close = getattr(sender, "aclose", None)
            if close is not None:
                await close()

    async def _preflight_timed(self, ctx: RunContext, sender) -> bool:
        """The preflight before anything is read, as a target's first run meets it: a wrong
        URL or key stops the run in seconds, nothing planned. Right after a push of the same
        company to the same URL (PREFLIGHT_LAZY_MINUTES), it waits for the run's first call
        instead: a run with nothing to ask Omie makes no call at all (issue 16)."""
        since = now() - timedelta(minutes=PREFLIGHT_LAZY_MINUTES)
        if await asyncio.to_thread(ctx.recorder.pushed_lately, self.config.base_url, since):
            sender.before_first_call = functools.partial(self._first_call, ctx, sender)
            return True
        return await self._preflight(ctx, sender)

    async def _first_call(self, ctx: RunContext, sender) -> None:
        """Before the run's first call: the preflight; when it fails every call is stopped
        (each row not attempted, naming why) and the run exits 3. A run with nothing to ask
        Omie (nothing changed, no drift check due) makes no call, the preflight included."""
        if not await self._preflight(ctx, sender):
            sender.stop(ctx.report.stopped)

    async def _preflight(self, ctx: RunContext, sender) -> bool:
        """The target answers and the key is valid (client.preflight); False (the run
        stopped, exit 3) when not. Senders without one (tests') skip it."""
        check = getattr(sender, "preflight", None)
        if check is None:
            return True
        try:
            found = await check()
        except FatalError as exc:
            ctx.report.stopped = f"preflight: {exc}"
            return False
        if found is None:
            return True
        ctx.report.company = found.company
        say = getattr(self.reporter, "say", None)
        if say is not None:
            whose = f"belongs to {found.company}" if found.company else f"not confirmed ({found.note})"
            say(f"target {ctx.settings.name}: app key {ctx.settings.app_key} {whose}")
        return True

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
            else:
                accepted = await asyncio.to_thread(ctx.recorder.accepted_frame, ep.name)
                found = await drift.check(ctx, ep, rep, sender, accepted)     # docs/drift.md
                if (prep := await self._prepare(ctx, ep, rep, found, accepted)) is not None:
                    await drift.check_after(ctx, ep, rep, sender, accepted, found, prep)
                    await deliver(ctx, ep, prep, rep, sender)
                    await drift.after_deliver(ctx, ep, prep, rep, sender, found)
            self.reporter.endpoint_done(rep)
        except Exception as exc:
            # a bug: children must not go on as if this endpoint had succeeded
            ctx.report.stopped = f"internal error while pushing {ep.view}: {type(exc).__name__}"
            raise
        finally:
            done[ep.name].set()

    async def _prepare(self, ctx: RunContext, ep: Endpoint, rep: EndpointReport,
                       found, accepted) -> Prepared | None:
        """Read, validate and prepare in a worker thread: the event loop goes on pacing the
        other endpoints' calls meanwhile (a million-row view takes seconds)."""
        return await asyncio.to_thread(self._prepare_here, ctx, ep, rep, found, accepted)

    def _prepare_here(self, ctx: RunContext, ep: Endpoint, rep: EndpointReport,
                      found, accepted) -> Prepared | None:
        # Any error here (a view dropped from the warehouse, a cast error in its SQL, a bad
        # type the checks did not foresee) stops this endpoint only, with a one-line reason.
        hold = parent_hold(ep, ctx.models, self.chosen, ctx.unavailable, ctx.recorder.has_accepted)
        settle = self._settle(ctx, ep, found, hold)
        stage = "read"
        try:
            with tempfile.TemporaryDirectory(prefix="omie-push-") as spill:
                clock = time.perf_counter()
                frames = self._read(ctx, ep, Path(spill))
                read_seconds, stage = time.perf_counter() - clock, "prepare"
                ledger = drift.ledger_for(accepted, found)
                prep = prepare_endpoint(ep, frames, ledger, ctx.blocked, self.options.full_refresh,
                                        settle)
            prep.timings["read"] += read_seconds
            prep.known[:0] = self._foreign.pop(ep.name, [])   # rows of no company of the target
            if not settle.stream:
                settle.hold(prep)
        except Exception as exc:  # noqa: BLE001 - isolated: reported, the run goes on
            rep.error = failure_reason(ep.view, exc, stage)
            ctx.unavailable.add(ep.name)
            return None
        if hold:
            ctx.unavailable.add(ep.name)
        if ep.kind == "delete" and self.options.dry_run:
            rep.to_delete = [c.key for c in prep.to_send]     # listed even when over the limit
        allowed = self.options.allow_deletes
        guard_deletes(ep, prep, ctx.settings.max_deletes if allowed is None else allowed)
        ctx.recorder.known(self.run_id, prep.known)
        self._count(ctx, ep, rep, prep)
        return prep

    def _settle(self, ctx: RunContext, ep: Endpoint, found, hold: str | None) -> Settle:
        """What each prepared slice meets: the holds, in this order (drift, a parent that could
        not run, Omie's recent refusals), and where bulk outcomes are recorded. A dry run (not
        --live) of a one-view endpoint that deletes nothing records its rows as it goes."""
        def holds(prep: Prepared) -> None:
            drift.hold(prep, found)
            if hold:
                hold_all(prep, hold)
            hold_refused(ctx, prep)

        def record(view: str, status: str, frame) -> None:
            ctx.recorder.known_frame(self.run_id, ep.name, view, status, frame)

        from ..validate import gx_worker

        @functools.cache
        def holdable() -> set[str] | None:
            """The keys the holds may touch (none but these need to become objects)."""
            if hold:
                return None
            keys = set(found.unresolved) if found and found.policy == "hold" else set()
            if not self.options.retry_refused:
                keys |= set(last_refusals(ctx.recorder.con, ctx.settings.app_key, ep.name))
            return keys

        stream = (self.options.dry_run and not self.options.live and ep.kind != "delete"
                  and len(ep.views) == 1)
        return Settle(record=record, hold=holds, stream=stream, judge=gx_worker.judge,
                      holdable=holdable)

    def _count(self, ctx: RunContext, ep: Endpoint, rep: EndpointReport, prep: Prepared) -> None:
        for record in prep.known:
            rep.counts[(record.view, record.status)] += 1
            if record.status in ("rejected", "held"):
                ctx.report.problems.append((record.view, record.key, record.status, _why(record)))
                if record.reasons:
                    ctx.report.reasons[(record.view, record.key)] = list(record.reasons)
            if record.status in BAD and record.key is not None and record.view == ep.view:
                ctx.bad_keys[ep.name].add(record.key)
        rep.counts.update(prep.bulk)
        rep.to_send = len(prep.to_send) + prep.streamed
        rep.timings = dict(prep.timings)

    def _read(self, ctx: RunContext, ep: Endpoint, spill: Path) -> dict[str, Any]:
        """Each view of the endpoint, read now (after the parents were pushed)."""
        with ctx.recorder.file.connection(read_only=True) as con:   # released after reading
            return self._read_views(ctx, ep, con, spill)

    def _read_views(self, ctx: RunContext, ep: Endpoint, con, spill: Path) -> dict[str, Any]:
        """Rows by view name: a one-view endpoint's view is spilled to a file in `spill` and
        prepared from it a slice at a time (push.batches.SpilledRows); the views of a
        several-view endpoint (Contratos: small) are frames."""
        frames = {}
        prelude = self.scope.prelude if self.scope is not None else None
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
            if len(ep.views) == 1:
                path = spill / f"{view.name}.arrow"
                warehouse.spill_view(self.project, model, con, path, prelude=prelude)
                frames[view.name] = SpilledRows(path, *self._scoped(ep, view))
                continue
            frames[view.name] = warehouse.read_view(self.project, model, con, prelude=prelude)
            if self.scope is not None:
                frames[view.name], foreign = self.scope.own_rows(ep, view, frames[view.name])
                self._foreign.setdefault(ep.name, []).extend(foreign)
        return frames

    def _scoped(self, ep: Endpoint, view) -> tuple[Callable | None, Callable | None]:
        """(a slice -> this company's rows of it, its rows of no company recorded to reject;
        the filter alone), for a view prepared from a file; (None, None) without companies."""
        if self.scope is None:
            return None, None
        scope = self.scope

        def own(frame):
            mine, foreign = scope.own_rows(ep, view, frame)
            self._foreign.setdefault(ep.name, []).extend(foreign)
            return mine

        return own, scope.mine

    def _options_record(self, chosen: list[Endpoint]) -> dict[str, Any]:
        return {"select": list(self.options.select), "exclude": list(self.options.exclude),
                "partial_success": self.options.partial_success,
                "retry_refused": self.options.retry_refused,
                "allow_deletes": self.options.allow_deletes,
                "endpoints": [ep.name for ep in chosen], "base_url": self.config.base_url,
                **({"company": self.scope.name} if self.scope is not None else {})}


def _import_pandas() -> None:
    """pandas imported now, before any endpoint runs: the first view's read in its worker
    thread imports it otherwise (DuckDB's and pyarrow's Arrow paths ask for it), and that
    import held the event loop 40-57 ms (issue 16's budget is 50; 4-7 ms once imported here,
    10,000-row dry runs on the 2-core build machine at load 0.9)."""
    try:
        import pandas  # noqa: F401
    except ImportError:          # not installed: nothing will import it later either
        pass


async def _watch_loop(report: RunReport, tick: float = 0.005) -> None:
    """The event loop's longest stall while the endpoints run (--json `loop_lag_max_ms`): how
    late a short sleep wakes up. Preparing a view in its thread must keep it small."""
    loop = asyncio.get_running_loop()
    while True:
        due = loop.time() + tick
        await asyncio.sleep(tick)
        late = (loop.time() - due) * 1000.0
        if late > report.loop_lag_max_ms:
            report.loop_lag_max_ms = late


def _why(record: RowRecord) -> str:
    if record.reasons:
        return "; ".join(str(r.get("message") or r.get("expectation")) for r in record.reasons)
    return record.note or record.status
