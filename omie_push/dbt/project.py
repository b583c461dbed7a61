"""Finding the omie views through dbt: the manifest says which models feed Omie, run results
say whether their last build and tests passed.

Reading dbt's JSON artifacts (not importing dbt) keeps this fast and independent of dbt's
Python API, which changes between minor versions; the artifacts' shape is versioned and stable.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ProjectError

OK_BUILD = {"success"}
OK_TEST = {"pass", "warn", "skipped"}


@dataclass(frozen=True)
class OmieModel:
    """One dbt model that carries `meta.omie.endpoint`."""

    name: str
    unique_id: str
    endpoint: str              # catalog endpoint name
    view: str                  # catalog view name (omie_contratos_itens, ...)
    meta: dict[str, Any]       # the model's meta.omie
    database: str
    schema: str
    identifier: str
    build_status: str | None   # status of its node in the last run_results.json (None: absent)
    failed_tests: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return self.meta.get("enabled", True) is not False

    @property
    def partial_success(self) -> bool | None:
        value = self.meta.get("partial_success")
        return None if value is None else bool(value)

    @property
    def lot_size(self) -> int | None:
        value = self.meta.get("lot_size")
        return None if value is None else int(value)

    def refusal(self, exists: bool = True) -> str | None:
        """Why this model must not be pushed, or None.

        A model absent from the last run_results.json (e.g. the last command was `dbt seed`)
        is accepted when its relation exists: it was built by an earlier invocation.
        """
        if self.build_status is None and not exists:
            return (f"{self.name} was never built. "
                    f"Fix: run `dbt build` (or `dbt build --select {self.name}`) first.")
        if self.build_status is not None and self.build_status not in OK_BUILD:
            return (f"{self.name}: its last dbt build ended with status {self.build_status!r}. "
                    f"Fix the model and run `dbt build` again.")
        if self.failed_tests:
            return (f"{self.name}: dbt tests failed: {', '.join(self.failed_tests)}. "
                    f"Fix the data or the tests and run `dbt build` again.")
        return None


@dataclass
class DbtProject:
    """A dbt project on disk, as its artifacts describe it after `dbt build`."""

    project_dir: Path
    profiles_dir: Path | None = None
    target: str | None = None
    config: dict[str, Any] = field(default_factory=dict)

    def __init__(self, project_dir: str | Path | None = None, profiles_dir: str | Path | None = None,
                 target: str | None = None):
        import yaml

        self.project_dir = find_project_dir(project_dir)
        self.profiles_dir = Path(profiles_dir).resolve() if profiles_dir else None
        self.target = target
        text = (self.project_dir / "dbt_project.yml").read_text(encoding="utf-8")
        self.config = yaml.safe_load(text) or {}

    @property
    def target_path(self) -> Path:
        return self.project_dir / str(self.config.get("target-path") or "target")

    def _artifact(self, name: str) -> dict[str, Any]:
        path = self.target_path / name
        if not path.exists():
            raise ProjectError(f"{path} not found: the dbt project was never built here. "
                               f"Fix: run `dbt build` in {self.project_dir} first.")
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ProjectError(f"{path} is not valid JSON ({exc}). Fix: run `dbt build` again.") from None

    def manifest(self) -> dict[str, Any]:
        return self._artifact("manifest.json")

    def run_results(self) -> dict[str, Any]:
        path = self.target_path / "run_results.json"
        return self._artifact("run_results.json") if path.exists() else {"results": []}

    def omie_models(self) -> list[OmieModel]:
        """The models with meta.omie.endpoint, in catalog push order (select them with
        omie_push.dbt.selection)."""
        from .. import catalog

        manifest = self.manifest()
        statuses = {r["unique_id"]: r.get("status") for r in self.run_results().get("results", [])}
        models = _omie_nodes(manifest, statuses)
        order = {v.name: i for i, (_, v) in enumerate(catalog.views())}
        return sorted(models, key=lambda m: order[m.view])


def find_project_dir(project_dir: str | Path | None) -> Path:
    """The given folder, else the current one, else ./dbt_project."""
    candidates = [Path(project_dir)] if project_dir else [Path.cwd(), Path.cwd() / "dbt_project"]
    for candidate in candidates:
        if (candidate / "dbt_project.yml").exists():
            return candidate.resolve()
    where = candidates[0] if project_dir else "the current folder nor ./dbt_project"
    raise ProjectError(f"no dbt_project.yml in {where}. Fix: run omie-push inside your dbt project "
                       f"or pass --project-dir.")


def _omie_nodes(manifest: dict[str, Any], statuses: dict[str, str]) -> list[OmieModel]:
    from .. import catalog

    tests_of: dict[str, list[str]] = {}
    for uid, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") == "test" and statuses.get(uid) not in (None, *OK_TEST):
            for parent in node.get("depends_on", {}).get("nodes", []):
                tests_of.setdefault(parent, []).append(node.get("name", uid))
    models = []
    for uid, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") != "model":
            continue
        meta = (node.get("config", {}).get("meta") or node.get("meta") or {}).get("omie")
        if not isinstance(meta, dict) or not meta.get("endpoint"):
            continue
        try:
            endpoint = catalog.get(str(meta["endpoint"]))
        except KeyError as exc:
            raise ProjectError(f"model {node['name']}: meta.omie.endpoint {meta['endpoint']!r}: {exc}") from None
        meta = dict(meta)
        view = meta.get("view") or node["name"]
        if view not in {v.name for v in endpoint.views}:
            names = ", ".join(v.name for v in endpoint.views)
            raise ProjectError(f"model {node['name']}: endpoint {endpoint.name} is fed by {names}. "
                            f"Fix: name the model so, or set meta.omie.view to one of them.")
        declared = meta.get("depends_on") or []
        try:
            meta["depends_on"] = [catalog.get(str(d)).name
                                  for d in ([declared] if isinstance(declared, str) else declared)]
        except KeyError as exc:
            raise ProjectError(f"model {node['name']}: meta.omie.depends_on: {exc}") from None
        models.append(OmieModel(
            name=node["name"], unique_id=uid, endpoint=endpoint.name, view=view, meta=dict(meta),
            database=node.get("database") or "", schema=node.get("schema") or "main",
            identifier=node.get("alias") or node.get("identifier") or node["name"],
            build_status=statuses.get(uid), failed_tests=tuple(sorted(tests_of.get(uid, []))),
        ))
    return models
