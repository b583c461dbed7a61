"""Every command and option is documented, and docs/cli.md shows the current help."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import click
import pytest

from omie_push.cli import main

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
cli_docs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cli_docs)

COMMANDS = list(cli_docs.walk(main, ["omie-push"]))


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_and_options_have_help(path, command):
    assert (command.help or "").strip(), f"{' '.join(path)} has no docstring"
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts[0]} has no help"


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_a_section_in_docs(path, command):
    assert f"## `{' '.join(path)}`" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def test_docs_show_current_help():
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_docs.render(), (
        "docs/cli.md is out of date: run `.venv/bin/python scripts/cli_docs.py`")
