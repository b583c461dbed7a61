"""One company's share of a run: which rows of a view are its own, and which ids its views see.

A view may carry a column `omie_company` naming each row's company (docs/companies.md). Each
company's run reads the view and keeps its own rows (the column dropped: it is no Omie field);
the rows naming no company of the target are rejected once, in the run of the target's first
company pushed. A view without the column belongs to the target's only company; for a target
with several it is an error naming the view and the fix.

Ids: views join `omie_ids`, a view evaluated when omie-push reads it. Before each read the
reading connection is told the run's company (DuckDB `set variable omie_company_key`), which
omie_ids reads (`getvariable`), so every row gets the id its own company gave and no other.
PostgreSQL's equivalent is `set omie_push.company_key = '...'` (`current_setting`), as
`sql_for(dialect)` says.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..catalog import Endpoint
from ..catalog.model import View
from ..dbt.sql import quote_str
from ..errors import ViewError
from ..store.ledger import RowRecord
from ..validate.schema import COMPANY_COLUMN   # a view's column naming each row's company
from . import diff

KEY_VARIABLE = "omie_company_key"      # the app key omie_ids maps (DuckDB variable)
NAME_VARIABLE = "omie_company"         # the company's name in omie_push.yml


def sql_for(dialect: str, app_key: str, name: str) -> list[str]:
    """The statements that tell a reading session the run's company (values quoted inline:
    each driver has its own parameter style)."""
    key, company = quote_str(app_key), quote_str(name)
    if dialect == "postgres":
        return [f"select set_config('omie_push.company_key', {key}, false)",
                f"select set_config('omie_push.company', {company}, false)"]
    return [f"set variable {KEY_VARIABLE} = {key}", f"set variable {NAME_VARIABLE} = {company}"]


@dataclass
class CompanyScope:
    """What one company's run reads: its rows, with its ids."""

    name: str
    app_key: str
    target: str
    names: tuple[str, ...]             # every company of the target
    rejects_foreign: bool = False      # this run records the rows of no company of the target

    @property
    def many(self) -> bool:
        return len(self.names) > 1

    def prelude(self, dialect: str) -> list[str]:
        """What the reading session runs before reading a view (warehouse.read_batches)."""
        return sql_for(dialect, self.app_key, self.name)

    def mine(self, frame):
        """This company's rows of `frame`, without the company column (own_rows' filter alone:
        for reading some columns of a view whose foreign rows are rejected elsewhere)."""
        import polars as pl

        if COMPANY_COLUMN not in frame.columns:
            return frame
        return frame.filter(pl.col(COMPANY_COLUMN).cast(pl.String) == self.name).drop(COMPANY_COLUMN)

    def own_rows(self, ep: Endpoint, view: View, frame) -> tuple[Any, list[RowRecord]]:
        """(this company's rows without the company column, the rows of no company to reject)."""
        import polars as pl

        if COMPANY_COLUMN not in frame.columns:
            if self.many:
                raise ViewError(
                    f"{view.name} has no column {COMPANY_COLUMN}, and target {self.target} has "
                    f"{len(self.names)} companies ({', '.join(self.names)}): nothing of it was sent. "
                    f"Fix: add a column {COMPANY_COLUMN} naming each row's company, or push it "
                    f"with a target of one company.")
            return frame, []
        named = pl.col(COMPANY_COLUMN).cast(pl.String)
        mine = frame.filter(named == self.name).drop(COMPANY_COLUMN)
        if not self.rejects_foreign:
            return mine, []
        foreign = frame.filter(named.is_null() | ~named.is_in(list(self.names)))
        return mine, [self._reject(ep, view, row) for row in foreign.to_dicts()]

    def _reject(self, ep: Endpoint, view: View, row: dict[str, Any]) -> RowRecord:
        company = row.get(COMPANY_COLUMN)
        key = diff.key_of(ep, row) if view.name == ep.view else row.get(view.parent_key or "")
        what = "names no company" if company in (None, "") else f"names company {company!r}"
        message = (f"the row {what}, and target {self.target} has only "
                   f"{', '.join(self.names)}: fix {COMPANY_COLUMN} in the view, or add the "
                   f"company under the target's companies")
        reason = {"field": COMPANY_COLUMN, "expectation": "omie-push",
                  "value": None if company is None else str(company), "message": message}
        return RowRecord(ep.name, view.name, None if key is None else str(key), "rejected",
                         reasons=[reason], note=message)
