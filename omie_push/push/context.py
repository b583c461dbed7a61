"""What the parts of one run share: its options, settings and models, where outcomes go, and
which rows went wrong so far (children of a refused parent are held)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from ..client.types import TargetSettings
from ..store.ledger import now
from .recorder import Recorder
from .report import RunReport


@dataclass
class RunOptions:
    select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    dry_run: bool = False
    full_refresh: bool = False
    partial_success: bool | None = None      # None: per endpoint meta.omie, default on
    retry_refused: bool = False              # send rows Omie refused for good, unchanged, again
    allow_deletes: int | None = None         # this run may delete up to N records per Excluir endpoint
    live: bool = False                       # a dry run that reads Omie's records (push/live.py)


def new_run_id() -> str:
    return f"{now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


@dataclass
class RunContext:
    run_id: str
    options: RunOptions
    settings: TargetSettings
    models: list
    recorder: Recorder
    reporter: Any                      # push.output's PlainReporter / RichReporter
    report: RunReport
    bad_keys: dict[str, set[str]] = field(default_factory=dict)   # endpoint -> keys not sent
    unavailable: set[str] = field(default_factory=set)            # endpoints not pushed at all
    _accepted: dict[str, set[str]] = field(default_factory=dict)
    unresolved: set[tuple[str, str]] = field(default_factory=set)  # (endpoint, key): a killed run's write Omie could not be asked about
    ledger_checked: bool = False       # a lost ledger was already said aloud

    def blocked(self, parents: tuple[str, ...], key: str) -> bool:
        """Whether a child row naming this parent record must be held: the parent row went
        wrong in this run, or its endpoint could not run and Omie never accepted it."""
        if any(key in self.bad_keys.get(p, ()) for p in parents):
            return True
        if not any(p in self.unavailable for p in parents):
            return False
        for p in parents:
            if p not in self._accepted:
                self._accepted[p] = set(self.recorder.accepted(p))
        return not any(key in self._accepted[p] for p in parents)
