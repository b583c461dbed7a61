"""The dry run as a function: what `omie-push --dry-run` computes, returned instead of printed.

The preview notebook calls this, so the plan it shows is the push's own (the same `Run`, the
same selection, validation, diff and estimate), never a second implementation. Like the
command, it records the dry run in the results (a run with `dry_run` true whose rows to send
are `not_attempted`, "dry run: would be sent"), so its payloads can be read back.
"""
from __future__ import annotations

import io
from pathlib import Path

from .report import RunReport


def plan(project_dir: str | Path | None = None, profiles_dir: str | Path | None = None,
         target: str | None = None, select: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
         full_refresh: bool = False, live: bool = False) -> RunReport:
    """`omie-push --dry-run [--live] [--select ...] [--full-refresh]`: its report, nothing
    printed. With `live`, Omie's current records are read (push/live.py): each endpoint's
    report then has `live`, per row create or update and the fields that change.

    Raises what the command would report (a UsageError for a bad project or selection).
    Called where an event loop already runs (a notebook's kernel), the run, which starts its
    own loop, goes on a thread of its own.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from ..dbt.project import DbtProject
    from . import config
    from .output import PlainReporter
    from .run import Run, RunOptions

    project = DbtProject(project_dir, profiles_dir)
    cfg = config.load(project.project_dir, target)
    options = RunOptions(tuple(select), tuple(exclude), dry_run=True, full_refresh=full_refresh,
                         live=live)
    run = Run(project, cfg, options, PlainReporter(io.StringIO()))
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run.execute()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="omie-push-dry-run") as pool:
        return pool.submit(run.execute).result()
