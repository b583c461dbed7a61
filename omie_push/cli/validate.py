"""`omie-push validate` and `omie-push expectations generate`.

Only click is imported at the top: everything else loads inside the commands (`--help` stays fast).
"""
from __future__ import annotations

import json
import sys

import click

from .options import SelectingCommand, selection


@click.command(cls=SelectingCommand)
@click.option("--project-dir", type=click.Path(file_okay=False), default=None,
              help="The dbt project (default: the current folder, or ./dbt_project).")
@click.option("--profiles-dir", type=click.Path(file_okay=False), default=None,
              help="Where profiles.yml is (default: as dbt finds it).")
@click.option("--dbt-target", "--target", "target", default=None,
              help="The dbt target whose warehouse is read (default: $DBT_TARGET, else the "
                   "profile's `target`, as dbt chooses).")
@selection
@click.option("--first", default=5, show_default=True,
              help="How many rejected rows to show per view.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def validate(project_dir, profiles_dir, target, select, exclude, first, as_json):
    """Validate the omie views against their suites; send nothing.

    Reads each view dbt built, runs the schema check and the view's GX suite, and prints per
    view the rows, valid and rejected counts and the first rejected rows with their reasons.
    Exits 1 when a row is rejected or a view cannot be validated.
    """
    from ..dbt.project import DbtProject
    from ..errors import OmiePushError
    from ..push.config import results_path_of
    from ..validate.report import validate_project

    try:
        project = DbtProject(project_dir, profiles_dir=profiles_dir, target=target)
        report = validate_project(project, results_path_of(project.project_dir), tuple(select),
                                  tuple(exclude))
    except OmiePushError as exc:
        failure = click.ClickException(str(exc))
        failure.exit_code = exc.exit_code      # 2 for a bad project or selection
        raise failure from None
    (print_json if as_json else print_text)(report, first)
    sys.exit(0 if report.ok else 1)


@click.group()
def expectations():
    """Generate the GX suites from the catalog."""


@expectations.command()
@click.option("--out", "out", type=click.Path(file_okay=False), default="expectations",
              show_default=True,
              help="The folder to write the suites to (never the installed package unless "
                   "named here).")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if the suites omie-push validates with (or those in "
                   "--out, when given) differ from the catalog.")
@click.pass_context
def generate(ctx, out, check):
    """Write one GX suite per omie view (<view>.json) from the catalog.

    omie-push validates with the suites it ships, generated from the same catalog; the copy
    written here is for you to read or to load into a GX project of your own.
    """
    from pathlib import Path

    from ..validate import store, suite

    suites = suite.build_all()
    given = ctx.get_parameter_source("out") is not click.core.ParameterSource.DEFAULT
    folder = Path(out) if (given or not check) else store.SUITES_DIR
    if check:
        stale = store.stale_files(suites, folder)
        if stale:
            click.echo(f"out of date in {folder}: {', '.join(stale)}; run `omie-push "
                       f"expectations generate --out {folder}`", err=True)
            sys.exit(1)
        click.echo(f"{len(suites)} suites up to date in {folder}")
        return
    changed = store.write_all(suites, folder)
    total = sum(len(s["expectations"]) for s in suites.values())
    click.echo(f"{len(suites)} suites, {total} expectations in {folder}; "
               f"changed: {', '.join(changed) or 'none'}")


def print_text(report, first: int) -> None:
    for result in report.results:
        click.echo(f"{result.view:<32} rows {result.rows:>7}  valid {result.valid.height:>7}  "
                   f"rejected {len(result.rejected):>7}")
        for row in result.rejected[:first]:
            click.echo(f"  row {row.row_index} (key {row.key or '-'}):")
            for reason in row.reasons:
                click.echo(f"    - {reason.message}")
        if len(result.rejected) > first:
            click.echo(f"  ... and {len(result.rejected) - first} more rejected rows "
                       f"(--first N shows more, --json shows them all)")
    for error in report.errors:
        click.echo(f"{error['view']:<32} not validated:\n  " + error["error"].replace("\n", "\n  "))
    if not report.results and not report.errors:
        click.echo("no omie views selected")


def print_json(report, first: int) -> None:
    views = []
    for result in report.results:
        data = result.summary(first=len(result.rejected))
        data["rejected_rows"] = data.pop("first_rejected")
        views.append(data)
    click.echo(json.dumps({"ok": report.ok, "views": views, "errors": report.errors},
                          ensure_ascii=False, indent=2, default=str))
