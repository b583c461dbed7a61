"""A push to every company of a target at once: today's one-company `Run` per company, all in
one event loop, merged into one report.

Each company has its own sender (its own per-method budgets, breakers and stop signal), all
under one per-IP limiter (`client.pacing.ip_budget`): Omie counts every key calling from one
address together. One company failing (a wrong or suspended key, a block, an unreachable
answer, even a bug) stops only that company; the exit code is the worst company's. Each run
opens the results only for each write (store.results serializes the opens of one process),
and tells the session that reads a view its company first (push.scope), so ids never cross.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..errors import UsageError, exit_code_of
from .context import RunOptions, new_run_id
from .empresas import CheckedSender, OmieCompany
from .labels import CompanyReporter
from .report import EndpointReport, RunReport
from .run import Run
from .scope import CompanyScope

OUTCOMES = {0: "success", 1: "finished with refused rows", 2: "not run (usage or configuration)",
            3: "stopped"}


def chosen_companies(cfg, names: tuple[str, ...] = ()) -> list:
    """The target's companies narrowed by --company (each name must be one of them)."""
    companies = list(cfg.company_list())
    if not names:
        return companies
    known = {c.name: c for c in companies}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(f"--company {unknown[0]}: target {cfg.settings.name} has no such company "
                         f"(its companies: {', '.join(known)}).")
    return [known[n] for n in dict.fromkeys(names)]


@dataclass
class CompanyOutcome:
    """One company's part of a push: its run's report, or why it did not run."""

    name: str
    app_key: str
    report: RunReport | None = None
    error: str | None = None
    error_code: int = 0
    omie_company: OmieCompany | None = None
    check_problem: str | None = None

    @property
    def exit_code(self) -> int:
        return self.report.exit_code if self.report is not None and not self.error else self.error_code

    def outcome_text(self) -> str:
        return OUTCOMES[self.exit_code]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"run_id": self.report.run_id if self.report else None,
                               "app_key": self.app_key,
                               "endpoints": self.report.as_dict()["endpoints"] if self.report else {},
                               "outcome": OUTCOMES[self.exit_code], "exit_code": self.exit_code,
                               "omie_company": self.omie_company.as_dict() if self.omie_company else None}
        if self.report is not None:
            out.update(self.report.drift_and_live())
            if self.report.stopped:
                out["stopped"] = self.report.stopped
        for key, value in (("error", self.error), ("check", self.check_problem)):
            if value:
                out[key] = value
        return out


@dataclass
class CompaniesReport(RunReport):
    """What a push to one or more companies did: the totals (as a one-company RunReport has
    them) and each company's own part."""

    companies: dict[str, CompanyOutcome] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return max((c.exit_code for c in self.companies.values()), default=0)

    @property
    def outcome(self) -> str:
        return OUTCOMES[self.exit_code]

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out["companies"] = {name: c.as_dict() for name, c in self.companies.items()}
        for company in out["companies"].values():     # a lone company's run is the push's
            if company["run_id"] == self.run_id:
                del company["run_id"]
        return out

    def company_lines(self) -> list[str]:
        """Per company: outcome and counts, and which Omie company its key is (text output)."""
        if len(self.companies) < 2 and not any(c.omie_company or c.check_problem or c.error
                                               for c in self.companies.values()):
            return []
        lines = ["Companies:"]
        for name, c in self.companies.items():
            sums: dict[str, int] = {}
            for counts in (c.report.as_dict()["endpoints"].values() if c.report else []):
                for status, n in counts.items():
                    if isinstance(n, int) and not isinstance(n, bool) and status != "calls":
                        sums[status] = sums.get(status, 0) + n
            shown = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sums.items() if n and s != "to_send")
            who = f"; Omie: {c.omie_company.describe()}" if c.omie_company else ""
            why = c.error or c.check_problem or (c.report.stopped if c.report else None)
            lines.append(f"  {name}: {c.outcome_text()} (exit {c.exit_code}){': ' + shown if shown else ''}"
                         f"{who}{'; ' + why if why else ''}")
        return lines


def push_companies(project, cfg, options: RunOptions, reporter, sender_factory: Callable | None = None,
                   names: tuple[str, ...] = ()) -> CompaniesReport:
    """Push the project to the chosen companies of the target, concurrently; the merged report."""
    companies = chosen_companies(cfg, names)
    report = CompaniesReport(new_run_id(), cfg.settings.name, options.dry_run)
    clock = time.monotonic()
    asyncio.run(_all(project, cfg, options, reporter, sender_factory, companies, report))
    report.duration_seconds = time.monotonic() - clock
    _merge(report, many=len(companies) > 1)
    return report


async def _all(project, cfg, options, reporter, sender_factory, companies, report) -> None:
    from ..client.pacing import ip_budget

    transport = cfg.transport() if sender_factory is None else None
    ip = ip_budget(cfg.settings.budgets.calls_per_minute_per_ip)
    names = tuple(c.name for c in cfg.company_list())
    many = len(companies) > 1
    runs = []
    for i, company in enumerate(companies):
        outcome = report.companies[company.name] = CompanyOutcome(company.name, company.settings.app_key)
        scope = CompanyScope(company.name, company.settings.app_key, cfg.settings.name, names,
                             rejects_foreign=(i == 0))
        factory = _factory(company, outcome, reporter, sender_factory, transport, ip)
        run = Run(project, replace(cfg, settings=company.settings), options,
                  CompanyReporter(reporter, company.name) if many else reporter, factory,
                  scope=scope)
        if many:
            run.run_id = run.report.run_id = f"{report.run_id}-{company.name}"
        else:
            report.run_id = run.run_id
        outcome.report = run.report
        runs.append(_guarded(run, outcome, raise_alone=not many))
    await asyncio.gather(*runs)


def _factory(company, outcome: CompanyOutcome, reporter, sender_factory, transport, ip):
    def checked(name: str, found: OmieCompany | None, problem: str | None) -> None:
        outcome.omie_company, outcome.check_problem = found, problem
        if found is not None:
            reporter.say(f"{name}: app key {company.settings.app_key} is Omie company {found.describe()}")
        if problem:
            reporter.say(f"{name}: {problem}")

    def make(settings):
        if sender_factory is not None:      # a test's sender: its calls are the test's own
            return sender_factory(settings)
        from ..client import make_sender

        inner = make_sender(settings, transport=transport, ip_limiter=ip)
        return CheckedSender(inner, company.name, company.cnpj, checked)

    return make


async def _guarded(run: Run, outcome: CompanyOutcome, raise_alone: bool) -> None:
    """One company's run; whatever stops it stops it alone (re-raised for a lone company, as
    a one-company push always did)."""
    try:
        await run.execute_async()
    except Exception as exc:  # noqa: BLE001 - recorded for this company; the others go on
        if raise_alone:
            raise
        outcome.error, outcome.error_code = f"{type(exc).__name__}: {exc}", exit_code_of(exc)


def _merge(report: CompaniesReport, many: bool) -> None:
    """The totals. One company: its report is the push's. Several: each endpoint's counts and
    plan summed over the companies, their refused rows labelled with the company; an endpoint
    counts as not pushed only when no company pushed it (one company's error is one of its
    problems); drift and live reads stay in each company's part."""
    ran = [(name, c.report) for name, c in report.companies.items() if c.report is not None]
    report.loop_lag_max_ms = max([run.loop_lag_max_ms for _, run in ran] + [0.0])
    if not many:
        for _, run in ran:
            report.endpoints, report.problems, report.reasons = run.endpoints, run.problems, run.reasons
            report.stopped = run.stopped
            report.company = run.company                  # the preflight's finding
            report.warnings = list(getattr(run, "warnings", ()))
        return
    merged: dict[str, EndpointReport] = {}
    errors: dict[str, dict[str, list[str]]] = {}
    stops = []
    for name, run in ran:
        for rep in run.endpoints:
            total = merged.setdefault(rep.endpoint, EndpointReport(rep.endpoint, rep.view))
            _add(total, rep, name)
            if rep.error:
                errors.setdefault(rep.endpoint, {}).setdefault(rep.error, []).append(name)
        report.problems += [(f"{view} ({name})", key, status, why)
                            for view, key, status, why in run.problems]
        report.reasons.update({(f"{view} ({name})", key): why for (view, key), why in run.reasons.items()})
        stops.append(run.stopped and f"{name}: {run.stopped}")
        if hasattr(report, "warnings"):
            report.warnings += [f"{name}: {w}" for w in getattr(run, "warnings", ())]
    for endpoint, texts in errors.items():
        total, names = merged[endpoint], [n for ns in texts.values() for n in ns]
        if len(names) == len(ran):
            total.error = next(iter(texts)) if len(texts) == 1 else "; ".join(
                f"{', '.join(ns)}: {text}" for text, ns in texts.items())
        else:
            report.problems += [(f"{total.view} ({', '.join(ns)})", None, "not pushed", text)
                                for text, ns in texts.items()]
    report.endpoints = list(merged.values())
    if stops and all(stops):
        report.stopped = "; ".join(stops)


def _add(total: EndpointReport, rep: EndpointReport, name: str) -> None:
    """One company's endpoint into the totals (companies run at once: seconds are the most)."""
    total.counts.update(rep.counts)
    total.to_send += rep.to_send
    for count in ("calls", "plan_calls"):
        if getattr(rep, count) is not None:
            setattr(total, count, (getattr(total, count) or 0) + getattr(rep, count))
    for seconds in ("seconds", "plan_seconds"):
        if getattr(rep, seconds) is not None:
            setattr(total, seconds, max(getattr(total, seconds) or 0.0, getattr(rep, seconds)))
    for stage, seconds in rep.timings.items():
        total.timings[stage] = max(total.timings.get(stage, 0.0), seconds)
    if rep.stopped:
        total.stopped = _join(total.stopped, f"{name}: {rep.stopped}")


def _join(first: str | None, more: str) -> str:
    return more if not first else f"{first}; {more}"
