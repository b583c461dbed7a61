"""The command line as verbs: `push` is also the bare command; a verb takes only its options."""
from __future__ import annotations

from click.testing import CliRunner

from omie_push.cli import main


def test_an_option_before_another_verb_is_refused_not_ignored():
    done = CliRunner().invoke(main, ["--dry-run", "validate"])
    assert done.exit_code == 2
    assert "unexpected extra argument" in done.output.lower() and "validate" in done.output


def test_a_verb_refuses_another_verbs_option():
    done = CliRunner().invoke(main, ["validate", "--dry-run"])
    assert done.exit_code == 2 and "--dry-run" in done.output


def test_the_bare_command_is_push(tmp_path):
    bare = CliRunner().invoke(main, ["--project-dir", str(tmp_path), "--dry-run"])
    verb = CliRunner().invoke(main, ["push", "--project-dir", str(tmp_path), "--dry-run"])
    assert bare.exit_code == verb.exit_code == 2          # no dbt project there
    assert bare.output == verb.output and "dbt_project.yml" in bare.output


def test_help_and_version_stay_the_groups():
    assert "Commands:" in CliRunner().invoke(main, ["--help"]).output
    assert "omie-push" in CliRunner().invoke(main, ["--version"]).output
