"""Every error omie-push raises, in one tree, so callers can catch by consequence.

    OmiePushError                 anything omie-push raises on purpose            exit 1
    ├── UsageError                bad options or configuration                    exit 2
    │   ├── ProjectError          the dbt project, manifest or warehouse is not usable
    │   └── SuiteError            a GX suite file is missing, does not load, or names an unknown type
    ├── ViewError                 a view cannot be sent as it is (wrong columns, failed build)
    └── OmieError                 Omie (or the sandbox) answered with a fault
        ├── RetryableError        try again after `wait_seconds` (429, 1880, REDUNDANT, 5xx, ...)
        ├── RecordError           permanent for this row (validation, not found, duplicate)
        └── FatalError            stop every call on this key (bad credentials, 425 block)  exit 3

Each class carries the exit code the command line ends with when it stops a command
(`exit_code_of`); a run that finishes reports its own code (0 all sent or unchanged, 1 rows
not sent, 3 stopped). Messages name the view, the row and the fix; they never contain the
App Secret.
"""
from __future__ import annotations


class OmiePushError(Exception):
    """Base of every error omie-push raises on purpose."""

    exit_code = 1


class UsageError(OmiePushError):
    """Bad command-line options or configuration: the user must change something first."""

    exit_code = 2


class ProjectError(UsageError):
    """The dbt project, its manifest, its run results or its warehouse cannot be used."""


class SuiteError(UsageError):
    """A view's GX suite cannot be used as it stands: regenerate it from the catalog."""


class ViewError(OmiePushError):
    """A view cannot be sent as it stands: a column that is not a field, a failed build, ..."""


class OmieError(OmiePushError):
    """A fault answered by Omie. Keeps Omie's own text and code, quoted as sent."""

    def __init__(self, message: str, *, faultcode: str | None = None,
                 http_status: int | None = None, call: str | None = None):
        super().__init__(message)
        self.faultstring = message
        self.faultcode = faultcode
        self.http_status = http_status
        self.call = call


class RetryableError(OmieError):
    """Omie asks to come back later; `wait_seconds` is the wait it named, if any."""

    def __init__(self, message: str, *, wait_seconds: float | None = None, **kw):
        super().__init__(message, **kw)
        self.wait_seconds = wait_seconds


class RecordError(OmieError):
    """Omie refused this record; sending it again unchanged would fail again."""


class FatalError(OmieError):
    """No further call on this key can succeed now (bad credentials, misuse block)."""

    exit_code = 3


# What a command ends with when it is interrupted (Ctrl-C) or hits a bug: the run was stopped.
INTERRUPTED_EXIT_CODE = 3


def exit_code_of(exc: BaseException) -> int:
    """The exit code a command ends with when `exc` stops it: the class's own, 3 for an
    interruption, 1 for anything omie-push did not raise on purpose."""
    if isinstance(exc, OmiePushError):
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED_EXIT_CODE
    return 1
