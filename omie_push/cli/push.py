"""`omie-push push` (and the bare `omie-push`): push the omie views of the dbt project.

Exit codes: 0 every row sent or unchanged; 1 the run finished but some rows were rejected,
failed, held or not attempted; 2 usage or configuration error; 3 the run was stopped
(fail-fast, bad credentials, Omie blocking the key). A stopping error's code is its class's
(omie_push.errors.exit_code_of). A first push or a --full-refresh to a real Omie company shows
the plan and asks first on a terminal; declined, nothing is sent (exit 1).
"""
from __future__ import annotations

import sys
import traceback

import click

from .options import SelectingCommand, selection


@click.command(cls=SelectingCommand)
@click.option("--project-dir", type=click.Path(file_okay=False), default=None,
              help="The dbt project (default: the current folder, or ./dbt_project).")
@click.option("--profiles-dir", type=click.Path(file_okay=False), default=None,
              help="Where profiles.yml is (default: as dbt finds it).")
@click.option("--target", default=None, help="Target of omie_push.yml (default: its `target`).")
@click.option("--dbt-target", default=None,
              help="The dbt target whose warehouse is read (default: $DBT_TARGET, else the "
                   "profile's `target`, as dbt chooses).")
@click.option("--company", "companies", multiple=True,
              help="Only this company of the target's `companies:` (repeatable; default: all).")
@selection
@click.option("--dry-run", is_flag=True, help="Validate, diff and plan; make no Omie call.")
@click.option("--live", is_flag=True,
              help="With --dry-run: read Omie's current records (paced, counted in the plan) and "
                   "show per row create or update, and the fields that change (docs/drift.md).")
@click.option("--full-refresh", is_flag=True, help="Send every valid row, changed or not.")
@click.option("--partial-success/--fail-fast", default=None,
              help="Go on past refused rows (default), or stop an endpoint at the first one.")
@click.option("--associate-duplicates/--no-associate-duplicates", default=None,
              help="On a duplicate CNPJ/CPF, link the existing Omie client to the row's "
                   "integration code (AssociarCodIntCliente) and send again (default: omie_push.yml).")
@click.option("--retry-refused", is_flag=True,
              help="Send again the rows Omie refused for good (a validation fault, a duplicate "
                   "CNPJ) although they did not change; by default they wait for a change.")
@click.option("--allow-deletes", type=click.IntRange(min=0), default=None, metavar="N",
              help="Let this run delete up to N records per Excluir endpoint (default: the "
                   "target's max_deletes, 20).")
@click.option("--yes", "-y", "assume_yes", is_flag=True,
              help="Do not ask before a first push or a --full-refresh to a real Omie company "
                   "(it asks only on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def push(**options):
    """Push the omie views dbt built to Omie: validate, send only the rows that changed,
    paced to Omie's limits, and record every row's outcome.

    Run it after `dbt build`; `omie-push` with no verb does the same.
    """
    sys.exit(run_push(**options))


def run_push(project_dir=None, profiles_dir=None, target=None, dbt_target=None, select=(), exclude=(),
             dry_run=False, full_refresh=False, partial_success=None, as_json=False,
             associate_duplicates=None, sender_factory=None, assume_yes=False,
             is_terminal=None, live=False, companies=(), retry_refused=False,
             allow_deletes=None) -> int:
    """Run one push; returns the exit code. `sender_factory(settings)` replaces the real
    sender, `is_terminal()` the check that stdin is a terminal (tests only)."""
    from ..errors import exit_code_of

    secrets: list[str] = []
    reporter = None
    try:
        from ..dbt.project import DbtProject
        from ..push import config
        from ..push.output import make_reporter
        from ..push.companies import push_companies
        from ..push.run import RunOptions

        _check_profiles_dir(profiles_dir)
        project = DbtProject(project_dir, profiles_dir, target=dbt_target)
        cfg = config.load(project.project_dir, target)
        secrets = [c.settings.app_secret for c in cfg.company_list()]
        if associate_duplicates is not None:
            cfg = config.with_settings(cfg, associate_duplicates=associate_duplicates)
        if live and not dry_run:
            from ..errors import UsageError

            raise UsageError("--live reads Omie for a dry run. Fix: add --dry-run (a push reads "
                             "Omie's changes anyway: docs/drift.md).")
        options = RunOptions(tuple(select), tuple(exclude), dry_run, full_refresh, partial_success,
                             retry_refused=retry_refused, allow_deletes=allow_deletes, live=live)
        if not assume_yes and not _confirmed(project, cfg, options, as_json,
                                             is_terminal or sys.stdin.isatty, tuple(companies)):
            return 1
        reporter = make_reporter(as_json)
        report = push_companies(project, cfg, options, reporter, sender_factory, tuple(companies))
        reporter.finish(report)
        return report.exit_code
    except Exception as exc:  # noqa: BLE001 - print it, but never with the App Secret in it
        return _fail(_message(exc), exit_code_of(exc), secrets, reporter, as_json)
    except KeyboardInterrupt as exc:
        return _fail("omie-push: interrupted; rows answered so far are recorded.",
                     exit_code_of(exc), secrets, reporter, as_json)


def _check_profiles_dir(profiles_dir) -> None:
    """--profiles-dir given but holding no profiles.yml is a mistake, not a hint to ignore."""
    from pathlib import Path

    from ..errors import ProjectError

    if profiles_dir and not (Path(profiles_dir) / "profiles.yml").exists():
        raise ProjectError(f"--profiles-dir {profiles_dir} holds no profiles.yml. Fix: pass the "
                           f"folder that holds it, or leave --profiles-dir out.")


def _confirmed(project, cfg, options, as_json: bool, is_terminal, companies=()) -> bool:
    """A first push (to any company of the run) or a --full-refresh to a real company: show
    the plan and ask, on a terminal; elsewhere (cron, CI, a pipe) say so and go on."""
    from dataclasses import replace

    from ..push import confirm
    from ..push.companies import chosen_companies, push_companies
    from ..push.output import PlainReporter, plain_table

    why = next((w for c in chosen_companies(cfg, companies)
                if (w := confirm.reason_to_ask(replace(cfg, settings=c.settings),
                                               options.full_refresh, options.dry_run))), None)
    if why is None:
        return True
    if not is_terminal():
        click.echo(f"omie-push: {why}; not asking (stdin is not a terminal).", err=True)
        return True
    import io

    plan = push_companies(project, cfg, replace(options, dry_run=True), PlainReporter(io.StringIO()),
                          names=companies)
    click.echo(f"{why[0].upper()}{why[1:]}. The plan:", err=as_json)
    click.echo(plain_table(plan), err=as_json)
    total = sum(e.to_send for e in plan.endpoints)
    if click.confirm(f"Send these {total} rows to target {cfg.settings.name!r}?", default=False,
                     err=as_json):
        return True
    click.echo("Nothing sent (answer y, or pass --yes, to send).", err=as_json)
    return False


def _message(exc: Exception) -> str:
    from ..errors import FatalError, OmiePushError

    if isinstance(exc, FatalError):
        return f"omie-push: stopped: {exc}"
    if isinstance(exc, OmiePushError):
        return f"omie-push: {exc}"
    return "omie-push: unexpected error:\n" + traceback.format_exc()


def _fail(message: str, code: int, secrets: list[str], reporter, as_json: bool = False) -> int:
    """The message on stderr; with --json also a JSON error object on stdout."""
    import json

    if reporter is not None:
        reporter.close()
    for secret in secrets:
        message = redact(message, secret)
    print(message, file=sys.stderr)
    if as_json:
        outcome = "configuration error" if code == 2 else "stopped" if code == 3 else "error"
        error = {"error": message.removeprefix("omie-push: "), "outcome": outcome, "exit_code": code}
        print(json.dumps(error, ensure_ascii=False), flush=True)
    return code


def redact(text: str, secret: str | None) -> str:
    """The text with the App Secret replaced, should any message ever carry it."""
    return text.replace(secret, "***") if secret else text
