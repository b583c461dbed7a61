"""`omie-push validate`: read every omie view dbt built, validate it, and report per view."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import click

from ..errors import SuiteError, ViewError


@dataclass
class ProjectReport:
    results: list = field(default_factory=list)         # ValidationResult per view
    errors: list[dict] = field(default_factory=list)    # {"view", "error"} per view not validated

    @property
    def ok(self) -> bool:
        return not self.errors and not any(r.rejected for r in self.results)


def validate_project(project_dir=None, profiles_dir=None, target=None, select=()) -> ProjectReport:
    """Validate the selected omie views of a built dbt project; send nothing."""
    from ..push.project import DbtProject
    from ..push.warehouse import read_view
    from .engine import validate_view

    import duckdb

    project = DbtProject(project_dir, profiles_dir=profiles_dir, target=target)
    report = ProjectReport()
    for model in project.omie_models(select=select):
        if model.build_status is not None and model.build_status != "success":
            report.errors.append({"view": model.view, "error": model.refusal()})
            continue
        try:
            frame = read_view(project, model)
        except duckdb.Error as exc:
            report.errors.append({"view": model.view, "error": (
                f"{model.name} cannot be read from the warehouse ({exc}). "
                f"Fix: run `dbt build --select {model.name}` first.")})
            continue
        try:
            report.results.append(validate_view(model.view, frame))
        except (ViewError, SuiteError) as exc:
            report.errors.append({"view": model.view, "error": str(exc)})
    return report


def print_text(report: ProjectReport, first: int) -> None:
    for result in report.results:
        click.echo(f"{result.view:<32} rows {result.rows:>7}  valid {result.valid.height:>7}  "
                   f"rejected {len(result.rejected):>7}")
        for row in result.rejected[:first]:
            click.echo(f"  row {row.row_index} (key {row.key or '-'}):")
            for reason in row.reasons:
                click.echo(f"    - {reason.message}")
        if len(result.rejected) > first:
            click.echo(f"  ... and {len(result.rejected) - first} more rejected rows "
                       f"(--first N shows more, --json shows them all)")
    for error in report.errors:
        click.echo(f"{error['view']:<32} not validated:\n  " + error["error"].replace("\n", "\n  "))
    if not report.results and not report.errors:
        click.echo("no omie views selected")


def print_json(report: ProjectReport, first: int) -> None:
    views = []
    for result in report.results:
        data = result.summary(first=len(result.rejected))
        data["rejected_rows"] = data.pop("first_rejected")
        views.append(data)
    click.echo(json.dumps({"ok": report.ok, "views": views, "errors": report.errors},
                          ensure_ascii=False, indent=2, default=str))
