"""What validation hands the pusher: the rows that pass, and the rows held back with reasons."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    """One failed check of one row: the Omie field, the GX expectation type, the value, in words."""

    field: str
    expectation: str
    value: Any
    message: str


@dataclass(frozen=True)
class RejectedRow:
    """A row that is never sent this run; `key` is the row key values joined by '|'."""

    row_index: int
    key: str
    reasons: list[Reason] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ValidationResult:
    """`valid`: a Polars frame of the passing rows (original columns and order).
    `expectation_counts`: unexpected rows per expectation id (`<type>:<field>`), as GX counted
    them when GX judged the run, else as the Polars masks did (they are checked to agree)."""

    view: str
    rows: int
    valid: Any
    rejected: list[RejectedRow]
    expectation_counts: dict[str, int]
    judged_by_gx: bool = True

    def summary(self, first: int = 5) -> dict:
        return {
            "view": self.view, "rows": self.rows, "valid": self.valid.height,
            "rejected": len(self.rejected),
            "failing_expectations": {k: v for k, v in self.expectation_counts.items() if v},
            "judged_by_gx": self.judged_by_gx,
            "first_rejected": [r.to_dict() for r in self.rejected[:first]],
        }
