"""The `omie-push` command line.

Subcommands are imported only when used, and their modules import nothing heavy at the top,
so `omie-push --help` answers at once (great_expectations alone takes about 2 s to import).
"""
from __future__ import annotations

import importlib
import sys

import click

from . import __version__

# name -> "module:attribute"; each a click command whose module imports only click at the top.
SUBCOMMANDS = {
    "catalog": "omie_push.catalog.command:catalog",
    "validate": "omie_push.validate.command:validate",
    "expectations": "omie_push.validate.command:expectations",
    "sandbox": "omie_push.sandbox.command:sandbox",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are loaded from SUBCOMMANDS on first use."""

    def list_commands(self, ctx):
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx, name):
        target = SUBCOMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project-dir", type=click.Path(file_okay=False), default=None,
              help="The dbt project (default: the current folder, or ./dbt_project).")
@click.option("--profiles-dir", type=click.Path(file_okay=False), default=None,
              help="Where profiles.yml is (default: as dbt finds it).")
@click.option("--target", default=None, help="Target of omie_push.yml (default: its `target`).")
@click.option("--select", "select", multiple=True, help="Only these views (repeatable).")
@click.option("--exclude", "exclude", multiple=True, help="Skip these views (repeatable).")
@click.option("--dry-run", is_flag=True, help="Validate, diff and plan; make no Omie call.")
@click.option("--full-refresh", is_flag=True, help="Send every valid row, changed or not.")
@click.option("--partial-success/--fail-fast", default=None,
              help="Go on past refused rows (default), or stop an endpoint at the first one.")
@click.option("--associate-duplicates/--no-associate-duplicates", default=None,
              help="On a duplicate CNPJ/CPF, link the existing Omie client to the row's "
                   "integration code (AssociarCodIntCliente) and send again (default: omie_push.yml).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
@click.version_option(__version__, prog_name="omie-push")
@click.pass_context
def main(ctx, **options):
    """Send the omie views your dbt project built to Omie: only the rows that changed,
    paced to Omie's limits, with every row's outcome recorded.

    Run it after `dbt build`. With no subcommand it pushes; the subcommands below
    inspect the catalog, validate, or run the Omie sandbox.
    """
    if ctx.invoked_subcommand is not None:
        return
    from .push.command import push  # heavy: dbt manifest, duckdb, polars, GX

    sys.exit(push(**options))


if __name__ == "__main__":  # pragma: no cover
    main()
