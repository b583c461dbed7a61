"""`omie-push runs`: the recent runs of the project, from its results file (read-only, closed
at once, so it never locks a push or a dbt build out).

Only click is imported at the top: the read layer loads inside the command.
"""
from __future__ import annotations

import json
import sys

import click

STATUS_HEADS = ("sent", "unchanged", "rejected", "failed", "held", "not_attempted")


@click.command()
@click.option("--project-dir", type=click.Path(file_okay=False), default=None,
              help="The dbt project (default: the current folder, or ./dbt_project).")
@click.option("--limit", default=20, show_default=True, help="How many runs, newest first.")
@click.option("--dry-runs/--no-dry-runs", default=True, show_default=True,
              help="List dry runs too (marked as such).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def runs(project_dir, limit, dry_runs, as_json):
    """List the recent runs: when, target, company, counts, duration, outcome.

    Reads the results file omie_push.yml names (results_path). Says so when there is no run
    yet; `omie-push show RUN_ID` shows one run's rows.
    """
    from ..errors import OmiePushError
    from ..review import listing

    try:
        found = listing.runs(project_dir, limit=limit, dry_runs=dry_runs)
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
    if not found["runs"]:
        return found["message"]
    head = ["run_id", "started (UTC)", "target", "company", *STATUS_HEADS, "seconds", "outcome"]
    rows = [head]
    for run in found["runs"]:
        outcome = f"{run['outcome']} (exit {run['exit_code']})" if run["exit_code"] is not None \
            else str(run["outcome"])
        rows.append([run["run_id"], str(run["started_at"] or ""), str(run["target"] or ""),
                     str(run["company"] or ""), *(str(run["counts"][s]) for s in STATUS_HEADS),
                     "" if run["duration_seconds"] is None else f"{run['duration_seconds']:.1f}",
                     ("dry run: " if run["dry_run"] else "") + outcome])
    return f"Runs in {found['results']}, newest first:\n" + table(rows)


def table(rows: list[list[str]], right: tuple[str, ...] = (*STATUS_HEADS, "seconds")) -> str:
    """Columns padded to their widest cell; the counts right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.rjust(w) if rows[0][i] in right else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip()
                     for r in rows)
