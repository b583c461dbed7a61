"""omie-push in Dagster: the user's dbt models as assets (dagster-dbt) and one omie-push asset
per endpoint, partitioned by Omie company (docs/orchestration.md).

    from omie_push.orchestrate.dagster import omie_push_definitions
    defs = omie_push_definitions("dbt_project", target="office", pool="egress-a")

Each omie-push asset is one endpoint's push to one company (its partition key is the company's
name in omie_push.yml): `push.companies.push_companies` narrowed to that endpoint and company,
with its counts, outcome and Omie company returned as asset metadata. It depends on its views'
dbt models and on the omie-push assets of its parent endpoints, so Dagster runs them in push
order. A stopped company (wrong key, block) fails its partition only.

Dagster reads the assets' parameter annotations at definition time, so this module keeps real
annotations (no `from __future__ import annotations`).
"""
import io
from pathlib import Path
from typing import Any, Iterable

import dagster as dg

COMPANIES = dg.DynamicPartitionsDefinition(name="omie_push_companies")
COMPANY_TAG = "omie_push/company"     # a run's company: limit one run at a time per value
KEY_PREFIX = "omie_push"


def company_names(project_dir: str | Path, target: str | None = None) -> list[str]:
    """The companies of the target, as omie_push.yml lists them (the partition keys)."""
    from ..push import config

    return [c.name for c in config.load(Path(project_dir), target).company_list()]


def add_company_partitions(instance: dg.DagsterInstance, project_dir: str | Path,
                           target: str | None = None) -> list[str]:
    """Add the target's companies not yet partitions (a sensor does the same on a schedule)."""
    names = company_names(project_dir, target)
    known = set(instance.get_dynamic_partitions(COMPANIES.name))
    new = [n for n in names if n not in known]
    if new:
        instance.add_dynamic_partitions(COMPANIES.name, new)
    return names


def omie_push_assets(project_dir: str | Path, target: str | None = None,
                     profiles_dir: str | Path | None = None, *, select: Iterable[str] = (),
                     pool: str | None = None, translator: Any = None) -> list[dg.AssetsDefinition]:
    """One partitioned asset per endpoint of the project's omie views (narrowed by `select`,
    as --select takes them). `pool`: the Dagster pool of this machine's egress address (one
    per-IP budget; machines behind one NAT share one). `translator`: the DagsterDbtTranslator
    the dbt assets use, so the dependencies name the same keys."""
    from ..dbt.project import DbtProject
    from ..dbt.selection import chosen_endpoints

    project = DbtProject(project_dir, profiles_dir)
    models = project.omie_models()
    nodes = project.manifest().get("nodes", {})
    chosen = chosen_endpoints(models, tuple(select), ())
    names = {ep.name for ep in chosen}
    assets = []
    for ep in chosen:
        views = [m for m in models if m.endpoint == ep.name]
        deps = [_dbt_key(nodes[m.unique_id], translator) for m in views]
        deps += [_key(p.view) for p in _parents(ep, models) if p.name in names]
        assets.append(_endpoint_asset(project, target, ep, deps, pool))
    return assets


def _endpoint_asset(project, target, ep, deps, pool) -> dg.AssetsDefinition:
    @dg.asset(key=_key(ep.view), deps=deps, partitions_def=COMPANIES, pool=pool,
              group_name=KEY_PREFIX, kinds={"omie"},
              description=f"{ep.title}: the rows of {ep.view} pushed to one Omie company")
    def push_endpoint(context) -> dg.MaterializeResult:
        company = context.partition_key
        part, log = push_one(project, target, ep.name, company)
        for line in log.splitlines():
            context.log.info(line)
        metadata = _metadata(part)
        if part["exit_code"] >= 2:
            raise dg.Failure(f"{ep.view} for {company}: {part['outcome']}: "
                             f"{part.get('stopped') or part.get('error') or part.get('check')}",
                             metadata=metadata)
        return dg.MaterializeResult(metadata=metadata)

    return push_endpoint


def push_one(project, target: str | None, endpoint: str, company: str) -> tuple[dict, str]:
    """One endpoint pushed to one company: its part of the push's JSON, and the log lines."""
    from ..push import config
    from ..push.companies import push_companies
    from ..push.output import PlainReporter
    from ..push.run import RunOptions

    cfg = config.load(project.project_dir, target)
    stream = io.StringIO()
    report = push_companies(project, cfg, RunOptions(select=(endpoint,)), PlainReporter(stream),
                            names=(company,))
    part = report.as_dict()["companies"][company]
    part.setdefault("run_id", report.run_id)
    return part, stream.getvalue()


def _metadata(part: dict) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for view_counts in part["endpoints"].values():
        for status, n in view_counts.items():
            if isinstance(n, int) and not isinstance(n, bool):
                counts[status] = counts.get(status, 0) + n
    who = part.get("omie_company") or {}
    return {**counts, "run_id": part["run_id"], "outcome": part["outcome"],
            "exit_code": part["exit_code"], "omie_company": who.get("razao_social") or "",
            "cnpj": who.get("cnpj") or "", "counts": dg.MetadataValue.json(part["endpoints"])}


def _parents(ep, models):
    from .. import catalog
    from ..push.order import parents

    return [catalog.get(p) for p in parents(ep, models)]


def _key(view: str) -> dg.AssetKey:
    return dg.AssetKey([KEY_PREFIX, view])


def _dbt_key(node: dict, translator: Any) -> dg.AssetKey:
    if translator is None:
        from dagster_dbt import DagsterDbtTranslator

        translator = DagsterDbtTranslator()
    return translator.get_asset_key(node)


def dbt_models(project_dir: str | Path, profiles_dir: str | Path | None = None,
               translator: Any = None) -> dg.AssetsDefinition:
    """The project's dbt models as assets (dagster-dbt), built with `dbt build`."""
    from dagster_dbt import DbtCliResource, dbt_assets

    manifest = Path(project_dir) / "target" / "manifest.json"

    @dbt_assets(manifest=manifest, dagster_dbt_translator=translator)
    def dbt_project_models(context, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    return dbt_project_models


def company_sensor(job: dg.JobDefinition, project_dir: str | Path, target: str | None = None,
                   minimum_interval_seconds: int = 3600) -> dg.SensorDefinition:
    """Adds the target's companies as partitions and asks one run of `job` per company, tagged
    with the company (COMPANY_TAG) so tag concurrency keeps one run at a time per company."""
    @dg.sensor(job=job, minimum_interval_seconds=minimum_interval_seconds,
               name=f"{KEY_PREFIX}_companies")
    def companies(context):
        names = company_names(project_dir, target)
        known = set(context.instance.get_dynamic_partitions(COMPANIES.name))
        return dg.SensorResult(
            run_requests=[dg.RunRequest(partition_key=n, tags={COMPANY_TAG: n}) for n in names],
            dynamic_partitions_requests=[COMPANIES.build_add_request([n for n in names if n not in known])])

    return companies


def omie_push_definitions(project_dir: str | Path, target: str | None = None,
                          profiles_dir: str | Path | None = None, *, select: Iterable[str] = (),
                          pool: str | None = None) -> dg.Definitions:
    """dbt models + omie-push assets + a job of the omie-push assets + the companies sensor."""
    from dagster_dbt import DbtCliResource

    pushes = omie_push_assets(project_dir, target, profiles_dir, select=select, pool=pool)
    job = dg.define_asset_job(f"{KEY_PREFIX}_job", selection=[a.key for a in pushes])
    return dg.Definitions(
        assets=[dbt_models(project_dir, profiles_dir), *pushes], jobs=[job],
        sensors=[company_sensor(job, project_dir, target)],
        resources={"dbt": DbtCliResource(project_dir=str(project_dir),
                                         profiles_dir=str(profiles_dir or project_dir),
                                         dbt_executable=dbt_executable())})


def dbt_executable() -> str:
    """dbt on PATH, else the one installed beside this Python (a virtualenv not activated)."""
    import shutil
    import sys

    beside = Path(sys.executable).with_name("dbt")
    return shutil.which("dbt") or (str(beside) if beside.exists() else "dbt")
