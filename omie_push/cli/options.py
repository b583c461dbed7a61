"""Options several verbs share: dbt-style `--select` / `--exclude`.

dbt takes several names after one flag (`--select a b`); click takes one value per flag. A
command built with `SelectingCommand` reads `--select a b --exclude c` as
`--select a --select b --exclude c` before click parses it.
"""
from __future__ import annotations

import click

SELECT_FLAGS = ("--select", "-s", "--exclude")
SELECT_HELP = ("Only these views, models or endpoints: several names, space- or "
               "comma-separated; +name adds what it waits for, name+ what waits for it.")
EXCLUDE_HELP = "Leave these out (same forms as --select)."


def spread(args: list[str]) -> list[str]:
    """`--select a b` -> `--select a --select b`: every word up to the next option."""
    out, flag = [], None
    for arg in args:
        if arg.startswith("-") and arg != "-" and not arg.startswith("-+"):
            name = arg.split("=", 1)[0]
            flag = name if name in SELECT_FLAGS else None
            out.append(arg)
        elif flag is not None and out[-1] != flag:
            out += [flag, arg]
        else:
            out.append(arg)
    return out


class SelectingCommand(click.Command):
    """A click command whose --select/--exclude take several words, as dbt's do."""

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, spread(list(args)))


def selection(command):
    """The --select and --exclude options."""
    command = click.option("--exclude", "exclude", multiple=True, help=EXCLUDE_HELP)(command)
    return click.option("--select", "-s", "select", multiple=True, help=SELECT_HELP)(command)
