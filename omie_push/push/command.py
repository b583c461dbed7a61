"""`omie-push` with no subcommand: push the omie views of the dbt project to the target.

Exit codes: 0 every row sent or unchanged; 1 the run finished but some rows were rejected,
failed, held or not attempted; 2 usage or configuration error; 3 the run was stopped
(fail-fast, bad credentials, Omie blocking the key).
"""
from __future__ import annotations

import sys
import traceback
from dataclasses import replace

from ..errors import FatalError, OmiePushError, UsageError, ViewError


def push(project_dir=None, profiles_dir=None, target=None, select=(), exclude=(), dry_run=False,
         full_refresh=False, partial_success=None, as_json=False, associate_duplicates=None,
         sender_factory=None, **_ignored) -> int:
    """Run one push; returns the exit code. `sender_factory(settings)` replaces the real
    sender (tests only)."""
    secret: str | None = None
    reporter = None
    try:
        from . import config
        from .output import make_reporter
        from .project import DbtProject
        from .run import Run, RunOptions

        project = DbtProject(project_dir, profiles_dir)
        cfg = config.load(project.project_dir, target)
        secret = cfg.settings.app_secret
        settings = cfg.settings
        if associate_duplicates is not None:
            settings = replace(settings, associate_duplicates=associate_duplicates)
        options = RunOptions(tuple(select), tuple(exclude), dry_run, full_refresh, partial_success)
        reporter = make_reporter(as_json)
        report = Run(project, settings, cfg.results_path, options, reporter, sender_factory).execute()
        reporter.finish(report)
        return report.exit_code
    except (UsageError, ViewError) as exc:
        return _fail(f"omie-push: {exc}", 2, secret, reporter)
    except FatalError as exc:
        return _fail(f"omie-push: stopped: {exc}", 3, secret, reporter)
    except OmiePushError as exc:
        return _fail(f"omie-push: {exc}", 1, secret, reporter)
    except KeyboardInterrupt:
        return _fail("omie-push: interrupted; rows answered so far are recorded.", 3, secret, reporter)
    except Exception:  # noqa: BLE001 - print it, but never with the App Secret in it
        return _fail("omie-push: unexpected error:\n" + traceback.format_exc(), 1, secret, reporter)


def _fail(message: str, code: int, secret: str | None, reporter) -> int:
    if reporter is not None:
        reporter.close()
    print(redact(message, secret), file=sys.stderr)
    return code


def redact(text: str, secret: str | None) -> str:
    """The text with the App Secret replaced, should any message ever carry it."""
    return text.replace(secret, "***") if secret else text
