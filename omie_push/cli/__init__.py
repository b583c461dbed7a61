"""The `omie-push` command line: one verb per job, each with only its own options.

    omie-push [push] [OPTIONS]      push the omie views (the bare command is `push`)
    omie-push init | debug | validate | catalog | expectations | sandbox | runs | show ...

Verbs are imported only when used, and their modules import nothing heavy at the top, so
`omie-push --help` answers at once (great_expectations alone takes about 2 s to import).
This package is the top layer: it may import every other part; nothing imports it.
"""
from __future__ import annotations

import importlib

import click

from .. import __version__

# name -> "module:attribute"; each a click command whose module imports only click at the top.
VERBS = {
    "push": "omie_push.cli.push:push",
    "init": "omie_push.cli.init:init",
    "debug": "omie_push.cli.debug:debug",
    "catalog": "omie_push.cli.catalog:catalog",
    "validate": "omie_push.cli.validate:validate",
    "expectations": "omie_push.cli.validate:expectations",
    "sandbox": "omie_push.cli.sandbox:sandbox",
    "runs": "omie_push.cli.runs:runs",
    "show": "omie_push.cli.show:show",
    "drift": "omie_push.cli.drift:drift",
}
DEFAULT_VERB = "push"
GROUP_OPTIONS = {"-h", "--help", "--version"}


class VerbGroup(click.Group):
    """A click group whose verbs load from VERBS on first use; with no verb, it pushes (so
    `omie-push --dry-run` is `omie-push push --dry-run`, as users typed it before the verbs)."""

    def list_commands(self, ctx):
        return sorted(VERBS)

    def get_command(self, ctx, name):
        target = VERBS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def parse_args(self, ctx, args):
        if not args or (args[0].startswith("-") and args[0] not in GROUP_OPTIONS):
            args = [DEFAULT_VERB, *args]
        return super().parse_args(ctx, args)


@click.group(cls=VerbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="omie-push")
def main():
    """Send the omie views your dbt project built to Omie: only the rows that changed,
    paced to Omie's limits, with every row's outcome recorded.

    Run it after `dbt build`. With no verb it pushes (`omie-push` is `omie-push push`);
    the other verbs inspect the catalog, validate, run the Omie sandbox, or list the
    runs and show one run's rows.
    """


if __name__ == "__main__":  # pragma: no cover
    main()
