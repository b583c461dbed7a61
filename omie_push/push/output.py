"""What the user sees: a progress bar per endpoint on a terminal (rich), plain lines otherwise,
a closing table of counts per view, or with --json one JSON object on stdout (everything else
then goes to stderr, so `omie-push --json | jq` works)."""
from __future__ import annotations

import json
import sys
from typing import TextIO

from .report import STATUSES, EndpointReport, RunReport

MAX_PROBLEMS = 20


def make_reporter(as_json: bool, stream: TextIO | None = None):
    stream = stream or (sys.stderr if as_json else sys.stdout)
    if not as_json and stream.isatty():
        return RichReporter(stream)
    return PlainReporter(stream, as_json=as_json)


class PlainReporter:
    """One line per event: for logs, CI and pipes."""

    def __init__(self, stream: TextIO, as_json: bool = False):
        self.stream, self.as_json = stream, as_json

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def endpoint_started(self, rep: EndpointReport, n: int) -> None:
        if n:
            self.say(f"{rep.view}: sending {n} row{'s' * (n != 1)}")

    def advance(self, rep: EndpointReport, status: str) -> None:
        pass

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
            print(json.dumps(report.as_dict(), ensure_ascii=False), file=sys.stdout, flush=True)
            return
        self.say(plain_table(report))
        for line in problem_lines(report):
            self.say(line)
        self.say(closing_line(report))

    def close(self) -> None:
        pass


class RichReporter(PlainReporter):
    """A progress bar per endpoint while sending; a rich table at the end."""

    def __init__(self, stream: TextIO):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        super().__init__(stream)
        self.console = Console(file=stream)
        self.progress = Progress(TextColumn("{task.description:<30}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=self.console, transient=False)
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
        for line in problem_lines(report):
            self.say(line)
        self.say(closing_line(report))

    def close(self) -> None:
        if self.progress.live.is_started:
            self.progress.stop()


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
    lines = [f"  {status} {view} {key or '(no key)'}: {why}"
             for view, key, status, why in report.problems[:MAX_PROBLEMS]]
    if len(report.problems) > MAX_PROBLEMS:
        lines.append(f"  ... and {len(report.problems) - MAX_PROBLEMS} more in row_results "
                     f"(run_id = '{report.run_id}')")
    errors = [f"  {rep.view} not pushed: {rep.error}" for rep in report.endpoints if rep.error]
    deletes = [f"  {rep.view} would delete {len(rep.to_delete)}: {', '.join(rep.to_delete)}"
               + (" (more than one run may delete: held, see above)"
                  if rep.counts[(rep.view, "held")] else "")
               for rep in report.endpoints if rep.to_delete]
    return (["Refused rows:"] + lines if lines else []) + errors + deletes


def closing_line(report: RunReport) -> str:
    if report.dry_run:
        return (f"Dry run {report.run_id}: no Omie call made. Views that join omie_ids see only the "
                f"ids earlier runs got, so rows waiting for a parent sent in this run may show as "
                f"rejected here (exit {report.exit_code}).")
    if report.stopped:
        return f"Stopped: {report.stopped} (exit 3)."
    verdict = {0: "every row sent or unchanged", 1: "some rows were not sent (see above)",
               3: "an endpoint was stopped"}[report.exit_code]
    return f"Run {report.run_id}: {verdict}; results in row_results (exit {report.exit_code})."
