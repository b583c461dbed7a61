"""What the user sees: a progress bar per endpoint on a terminal (rich), plain lines otherwise,
a closing table of counts per view, or with --json one JSON object on stdout (everything else
then goes to stderr, so `omie-push --json | jq` works)."""
from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from typing import TextIO

from . import drift_output
from .report import STATUSES, EndpointReport, RunReport

MAX_PROBLEMS = 20
GROUP_AT = 4              # this many rows refused for one reason print as one line
PROGRESS_EVERY = 10.0     # seconds between plain progress lines of one endpoint


def make_reporter(as_json: bool, stream: TextIO | None = None):
    stream = stream or (sys.stderr if as_json else sys.stdout)
    if not as_json and stream.isatty():
        return RichReporter(stream)
    return PlainReporter(stream, as_json=as_json)


class PlainReporter:
    """One line per event: for logs, CI and pipes."""

    def __init__(self, stream: TextIO, as_json: bool = False, every: float = PROGRESS_EVERY):
        self.stream, self.as_json, self.every = stream, as_json, every
        self.sending: dict[str, list[float]] = {}     # view -> [total, done, started, last line]

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def endpoint_started(self, rep: EndpointReport, n: int) -> None:
        if n:
            now = time.monotonic()
            self.sending[rep.view] = [n, 0, now, now]
            eta = "" if rep.plan_seconds is None else f", ~{rep.plan_seconds:.0f} s planned"
            self.say(f"{rep.view}: sending {n} row{'s' * (n != 1)}{eta}")

    def advance(self, rep: EndpointReport, status: str) -> None:
        """A line now and then: rows done, rate and time left (for logs, where bars cannot be)."""
        state = self.sending.get(rep.view)
        if state is None:
            return
        state[1] += 1
        now = time.monotonic()
        if state[1] < state[0] and now - state[3] >= self.every:
            state[3] = now
            self.say(f"{rep.view}: {progress_text(int(state[1]), int(state[0]), now - state[2])}")

    def endpoint_done(self, rep: EndpointReport) -> None:
        if rep.error:
            self.say(f"{rep.view}: not pushed: {rep.error}")
            return
        counts = rep.view_counts()[rep.view]
        parts = [f"{n} {s.replace('_', ' ')}" for s, n in counts.items() if n]
        if rep.calls is not None:      # dry run: the plan
            seconds = "" if rep.seconds is None else f", ~{rep.seconds:.0f} s"
            parts.insert(0, f"{rep.to_send} to send ({rep.calls} calls{seconds})")
        stop = f"; stopped: {rep.stopped}" if rep.stopped else ""
        self.say(f"{rep.view}: {', '.join(parts) or 'no rows'}{stop}")

    def finish(self, report: RunReport) -> None:
        if self.as_json:
            print(json.dumps(report.as_json(), ensure_ascii=False, default=str), file=sys.stdout,
                  flush=True)
            return
        self.say(plain_table(report))
        for line in problem_lines(report) + drift_output.lines(report) + company_lines(report):
            self.say(line)
        self.say(closing_line(report))

    def close(self) -> None:
        pass


class RichReporter(PlainReporter):
    """A progress bar per endpoint while sending; a rich table at the end."""

    def __init__(self, stream: TextIO):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        super().__init__(stream)
        self.console = Console(file=stream)
        self.progress = Progress(TextColumn("{task.description:<30}"), BarColumn(), MofNCompleteColumn(),
                                 rate_column(), TimeElapsedColumn(), TextColumn("ETA"),
                                 TimeRemainingColumn(), console=self.console, transient=False)
        self.tasks: dict[str, int] = {}
        self.progress.start()

    def say(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False)

    def endpoint_started(self, rep: EndpointReport, n: int) -> None:
        if n:
            self.tasks[rep.view] = self.progress.add_task(rep.view, total=n)

    def advance(self, rep: EndpointReport, status: str) -> None:
        if rep.view in self.tasks:
            self.progress.advance(self.tasks[rep.view])

    def endpoint_done(self, rep: EndpointReport) -> None:
        if rep.view in self.tasks:
            return
        super().endpoint_done(rep)

    def finish(self, report: RunReport) -> None:
        from rich.table import Table

        self.close()
        table = Table(title=f"omie-push run {report.run_id} ({report.target}"
                            f"{', dry run' if report.dry_run else ''})")
        for column in table_header(report):
            table.add_column(column, justify="left" if column == "view" else "right")
        for row in table_rows(report):
            table.add_row(*row)
        self.console.print(table)
        for line in problem_lines(report) + drift_output.lines(report) + company_lines(report):
            self.say(line)
        self.say(closing_line(report))

    def close(self) -> None:
        if self.progress.live.is_started:
            self.progress.stop()


def rate_column():
    """A rich column of rows per second (rich is imported only on a terminal)."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Rows per second, as the bar's task measures it."""

        def render(self, task):
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:.1f} rows/s")

    return RateColumn()


def progress_text(done: int, total: int, elapsed: float) -> str:
    """'120/1000 rows, 4.0 rows/s, ~3 min 40 s left'."""
    rate = done / elapsed if elapsed > 0 else 0.0
    left = "" if not rate else f", ~{duration_text((total - done) / rate)} left"
    return f"{done}/{total} rows, {rate:.1f} rows/s{left}"


def duration_text(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def table_header(report: RunReport) -> list[str]:
    head = ["view", *STATUSES]
    return head + ["to send", "calls", "est. seconds"] if report.dry_run else head


def table_rows(report: RunReport) -> list[list[str]]:
    rows = []
    for rep in report.endpoints:
        for view, counts in rep.view_counts().items():
            row = [view, *(str(counts[s]) for s in STATUSES)]
            if report.dry_run:
                main = view == rep.view
                row += [str(rep.to_send) if main else "",
                        "" if not main or rep.calls is None else str(rep.calls),
                        "" if not main or rep.seconds is None else f"{rep.seconds:.1f}"]
            if rep.error and view == rep.view:
                row[1:] = ["-"] * (len(row) - 1)
            rows.append(row)
    return rows


def plain_table(report: RunReport) -> str:
    rows = [table_header(report), *table_rows(report)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in rows]
    return "\n".join(lines)


def problem_lines(report: RunReport) -> list[str]:
    """The refused rows: one line each, but one line per reason shared by many rows (a
    thousand rows with the same bad CNPJ rule are one line, with a few keys as examples)."""
    groups: dict[tuple[str, str, str], list[str | None]] = defaultdict(list)
    for view, key, status, why in report.problems:
        groups[(status, view, why)].append(key)
    lines = []
    for (status, view, why), keys in groups.items():
        if len(keys) >= GROUP_AT:
            examples = ", ".join(str(k) for k in keys[:3])
            lines.append(f"  {status} {view}: {len(keys)} rows: {why} (e.g. {examples})")
        else:
            lines += [f"  {status} {view} {key or '(no key)'}: {why}" for key in keys]
    shown = lines[:MAX_PROBLEMS]
    if len(lines) > MAX_PROBLEMS:
        shown.append(f"  ... and {len(lines) - MAX_PROBLEMS} more in row_results "
                     f"(run_id = '{report.run_id}')")
    errors = [f"  {rep.view} not pushed: {rep.error}" for rep in report.endpoints if rep.error]
    deletes = [f"  {rep.view} would delete {len(rep.to_delete)}: {', '.join(rep.to_delete)}"
               + (" (more than one run may delete: held, see above)"
                  if rep.counts[(rep.view, "held")] else "")
               for rep in report.endpoints if rep.to_delete]
    return (["Refused rows:"] + shown if shown else []) + errors + deletes


def company_lines(report: RunReport) -> list[str]:
    """Each company's outcome and counts, for a push to several (push.companies)."""
    lines = getattr(report, "company_lines", None)
    return lines() if lines is not None else []


def closing_line(report: RunReport) -> str:
    if report.dry_run and any(e.live is not None for e in report.endpoints):
        return (f"Dry run {report.run_id} (--live): Omie's records were read, nothing was "
                f"written (exit {report.exit_code}).")
    if report.dry_run:
        return (f"Dry run {report.run_id}: no Omie call made. Views that join omie_ids see only the "
                f"ids earlier runs got, so rows waiting for a parent sent in this run may show as "
                f"rejected here (exit {report.exit_code}).")
    if report.stopped:
        return f"Stopped: {report.stopped} (exit 3)."
    verdict = {0: "every row sent or unchanged", 1: "some rows were not sent (see above)",
               3: "an endpoint was stopped"}[report.exit_code]
    return f"Run {report.run_id}: {verdict}; results in row_results (exit {report.exit_code})."
