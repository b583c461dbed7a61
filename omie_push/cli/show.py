"""`omie-push show RUN_ID`: one run's rows with their reasons, from the results file (read-only,
closed at once).

Only click is imported at the top: the read layer loads inside the command.
"""
from __future__ import annotations

import json
import sys

import click

from .runs import table

STATUSES = ("sent", "unchanged", "rejected", "failed", "held", "not_attempted")
MAX_WHY = 160


@click.command()
@click.argument("run_id")
@click.option("--project-dir", type=click.Path(file_okay=False), default=None,
              help="The dbt project (default: the current folder, or ./dbt_project).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only rows of this status (repeatable), e.g. --status rejected.")
@click.option("--view", default=None, help="Only rows of this view (or endpoint).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def show(run_id, project_dir, statuses, view, as_json):
    """Show one run's rows: view, key, status, Omie id, and why a row was not sent.

    RUN_ID as `omie-push runs` lists it, or `last` for the latest run that was not a dry
    run. Rejected rows carry their validation reasons (expectation, field, value, message);
    failed rows Omie's fault text as Omie sent it.
    """
    from ..errors import OmiePushError
    from ..review import listing

    try:
        found = listing.run_rows(run_id, project_dir, tuple(statuses), view)
    except OmiePushError as exc:
        failure = click.ClickException(str(exc))
        failure.exit_code = exc.exit_code
        raise failure from None
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
    else:
        click.echo(render(found))
    sys.exit(0)


def render(found: dict) -> str:
    run = found["run"]
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in run["counts"].items() if n)
    head = (f"Run {run['run_id']}{' (dry run)' if run.get('dry_run') else ''}: target "
            f"{run['target']}, company {run['company']}, started {run['started_at']} UTC, "
            f"{run['outcome']}" + (f" (exit {run['exit_code']})" if run["exit_code"] is not None else "")
            + (f"\n  {counts}" if counts else ""))
    if not found["rows"]:
        return head + "\nNo row matches."
    rows = [["view", "key", "status", "omie_id", "why"]]
    for row in found["rows"]:
        why = row["why"] or ""
        rows.append([row["view"], str(row["key"] or "(no key)"), row["status"],
                     str(row["omie_id"] or ""),
                     why if len(why) <= MAX_WHY else why[:MAX_WHY - 3] + "..."])
    return head + "\n" + table(rows)
