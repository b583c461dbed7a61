"""`omie-push validate` and `omie-push expectations generate`.

Only click is imported at the top: everything else loads inside the commands (`--help` stays fast).
"""
from __future__ import annotations

import sys

import click


def _inherited(ctx: click.Context, name: str, value):
    """An option given to the subcommand, else the same option given to `omie-push` itself."""
    if value:
        return value
    parent = ctx.parent.params if ctx.parent else {}
    return parent.get(name) or value


@click.command()
@click.option("--project-dir", type=click.Path(file_okay=False), default=None,
              help="The dbt project (default: the current folder, or ./dbt_project).")
@click.option("--profiles-dir", type=click.Path(file_okay=False), default=None,
              help="Where profiles.yml is (default: as dbt finds it).")
@click.option("--target", default=None, help="The dbt target whose warehouse is read.")
@click.option("--select", "select", multiple=True,
              help="Only these views or models (repeatable).")
@click.option("--first", default=5, show_default=True,
              help="How many rejected rows to show per view.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@click.pass_context
def validate(ctx, project_dir, profiles_dir, target, select, first, as_json):
    """Validate the omie views against their suites; send nothing.

    Reads each view dbt built, runs the schema check and the view's GX suite, and prints per
    view the rows, valid and rejected counts and the first rejected rows with their reasons.
    Exits 1 when a row is rejected or a view cannot be validated.
    """
    from ..errors import OmiePushError
    from .report import validate_project

    try:
        report = validate_project(
            _inherited(ctx, "project_dir", project_dir), _inherited(ctx, "profiles_dir", profiles_dir),
            _inherited(ctx, "target", target), tuple(select) or tuple(_inherited(ctx, "select", ())))
    except OmiePushError as exc:
        failure = click.ClickException(str(exc))
        failure.exit_code = exc.exit_code      # 2 for a bad project or selection
        raise failure from None
    from .report import print_json, print_text

    (print_json if as_json else print_text)(report, first)
    sys.exit(0 if report.ok else 1)


@click.group()
def expectations():
    """Generate the GX suites from the catalog."""


@expectations.command()
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if regenerating would change a suite file.")
def generate(check):
    """Write one GX suite per omie view (omie_push/expectations/<view>.json) from the catalog."""
    from . import store, suite

    suites = suite.build_all()
    if check:
        stale = store.stale_files(suites)
        if stale:
            click.echo(f"out of date: {', '.join(stale)}; run `omie-push expectations generate`",
                       err=True)
            sys.exit(1)
        click.echo(f"{len(suites)} suites up to date in {store.SUITES_DIR}")
        return
    changed = store.write_all(suites)
    total = sum(len(s["expectations"]) for s in suites.values())
    click.echo(f"{len(suites)} suites, {total} expectations in {store.SUITES_DIR}; "
               f"changed: {', '.join(changed) or 'none'}")
