"""One company's progress on the run's reporter: its endpoints shown as `company: view`, so the
companies of one push, which share view names, keep their own lines and progress bars."""
from __future__ import annotations

from typing import Any


class CompanyReporter:
    """The run's reporter (push.output), with every endpoint labelled by its company."""

    def __init__(self, inner, company: str):
        self.inner, self.company = inner, company

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def endpoint_started(self, rep, n: int) -> None:
        self.inner.endpoint_started(Labelled(rep, self.company), n)

    def advance(self, rep, status: str) -> None:
        self.inner.advance(Labelled(rep, self.company), status)

    def endpoint_done(self, rep) -> None:
        self.inner.endpoint_done(Labelled(rep, self.company))


class Labelled:
    """An EndpointReport seen under `company: view` (read-only: counts stay the company's)."""

    def __init__(self, rep, company: str):
        self._rep, self.view = rep, f"{company}: {rep.view}"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rep, name)

    def view_counts(self) -> dict[str, dict[str, int]]:
        counts = self._rep.view_counts()
        return {(self.view if v == self._rep.view else v): c for v, c in counts.items()}
