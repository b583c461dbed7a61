"""Validating a built dbt project: read every selected omie view, judge it, report per view."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import ProjectError, SuiteError, ViewError


@dataclass
class ProjectReport:
    results: list = field(default_factory=list)         # ValidationResult per view
    errors: list[dict] = field(default_factory=list)    # {"view", "error"} per view not validated

    @property
    def ok(self) -> bool:
        return not self.errors and not any(r.rejected for r in self.results)


def validate_project(project, results_path: Path | None, select=(), exclude=()) -> ProjectReport:
    """Validate the selected omie views of a built dbt project (a `DbtProject`); send nothing.
    `results_path`: the results file, attached read-only so views joining omie_ids resolve."""
    import duckdb

    from ..dbt.selection import select_models
    from ..dbt.warehouse import read_view
    from ..store.connect import connect
    from .engine import validate_view

    report = ProjectReport()
    for model in select_models(project.omie_models(), select, exclude):
        if model.build_status is not None and model.build_status != "success":
            report.errors.append({"view": model.view, "error": model.refusal()})
            continue
        try:
            con = connect(results_path, read_only=True)
            try:
                frame = read_view(project, model, con)
            finally:
                con.close()
        except duckdb.Error as exc:
            report.errors.append({"view": model.view, "error": (
                f"{model.name} cannot be read from the warehouse ({exc}). "
                f"Fix: run `dbt build --select {model.name}` first.")})
            continue
        except ProjectError as exc:        # a warehouse on a server: not built, or unreachable
            report.errors.append({"view": model.view, "error": str(exc)})
            continue
        try:
            report.results += [replace(validate_view(model.view, rows), view=label)
                               for label, rows in by_company(model.view, frame)]
        except (ViewError, SuiteError) as exc:
            report.errors.append({"view": model.view, "error": str(exc)})
    return report


def by_company(view: str, frame):
    """A view with an omie_company column is judged company by company (an integration code
    is unique within one Omie company, not across them): (`view [company]`, its rows)."""
    import polars as pl

    from .schema import COMPANY_COLUMN

    if COMPANY_COLUMN not in frame.columns:
        return [(view, frame)]
    names = frame.get_column(COMPANY_COLUMN).cast(pl.String)
    return [(f"{view} [{name}]", frame.filter(names.is_null() if name is None else names == name)
             .drop(COMPANY_COLUMN)) for name in sorted(set(names.to_list()), key=str)]
