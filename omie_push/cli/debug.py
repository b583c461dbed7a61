"""`omie-push debug`, like `dbt debug`: is everything a push needs in place?

One line per check, each `OK` or what is wrong and the fix: the dbt project, omie_push.yml and its
target, the dbt profile, the manifest and the last build, the warehouse, the results store and
the Omie key (one ListarEmpresas call, answered with the company the key belongs to; the
embedded sandbox is started for it as a push starts it). Exit 0 when every check passes, else 2.
Nothing is written but what a push would write too (the embedded sandbox's state).
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import click

EMPRESAS_PATH = "geral/empresas/"


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


class Skipped(Exception):
    """A check that cannot run because an earlier one failed."""


@click.command()
@click.option("--project-dir", type=click.Path(file_okay=False), default=None,
              help="The dbt project (default: the current folder, or ./dbt_project).")
@click.option("--profiles-dir", type=click.Path(file_okay=False), default=None,
              help="Where profiles.yml is (default: as dbt finds it).")
@click.option("--target", default=None, help="Target of omie_push.yml (default: its `target`).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def debug(project_dir, profiles_dir, target, as_json):
    """Check the configuration, the dbt project and profile, the last build, the warehouse,
    the results store and the Omie key (one cheap call: which company it belongs to).
    Exit 0 when all is well, 2 otherwise; each failed line says the fix.
    """
    sys.exit(run_debug(project_dir, profiles_dir, target, as_json))


def run_debug(project_dir=None, profiles_dir=None, target=None, as_json=False) -> int:
    runner = Checks(project_dir, profiles_dir, target)
    checks = runner.run()
    code = 0 if all(c.ok for c in checks) else 2
    secret = runner.config.settings.app_secret if runner.config else None
    if as_json:
        out = {"ok": code == 0, "exit_code": code, "checks": [asdict(c) for c in checks]}
        click.echo(_redact(json.dumps(out, ensure_ascii=False), secret))
        return code
    width = max(len(c.name) for c in checks)
    for c in checks:
        line = f"  {c.name.ljust(width)}  {'OK   ' if c.ok else 'ERROR'}  {c.detail}"
        click.echo(_redact(line + (f"\n  {' ' * width}         Fix: {c.fix}" if c.fix else ""), secret))
    click.echo("All checks passed." if code == 0 else f"Some checks failed (exit {code}).")
    return code


def _redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


class Checks:
    """The checks in order; each may use what the ones before it found."""

    def __init__(self, project_dir, profiles_dir, target):
        self.project_dir, self.profiles_dir, self.target = project_dir, profiles_dir, target
        self.project = self.config = None
        self.models: list = []

    def run(self) -> list[Check]:
        out = []
        for name, step in (("dbt project", self.dbt_project), ("configuration", self.configuration),
                           ("profile", self.profile), ("last build", self.last_build),
                           ("warehouse", self.warehouse), ("results", self.results),
                           ("Omie key", self.omie_key)):
            try:
                out.append(step(name))
            except Skipped as why:
                out.append(Check(name, False, f"not checked: {why}"))
            except Exception as exc:  # noqa: BLE001 - a check that breaks is a failed check
                out.append(Check(name, False, _text(exc), _fix(exc)))
        return out

    def dbt_project(self, name: str) -> Check:
        from ..dbt.project import DbtProject

        self.project = DbtProject(self.project_dir, self.profiles_dir)
        return Check(name, True, f"{self.project.project_dir / 'dbt_project.yml'} "
                                 f"(project {self.project.config.get('name')!r})")

    def configuration(self, name: str) -> Check:
        from ..push import config

        if self.project is None:
            raise Skipped("no dbt project")
        self.config = config.load(self.project.project_dir, self.target)
        where = "the embedded sandbox" if self.config.sandbox else self.config.settings.base_url
        return Check(name, True, f"{self.config.path}, target {self.config.settings.name!r} "
                                 f"-> {where}")

    def profile(self, name: str) -> Check:
        from ..dbt import profiles

        if self.project is None:
            raise Skipped("no dbt project")
        if self.profiles_dir and not (Path(self.profiles_dir) / "profiles.yml").exists():
            return Check(name, False, f"--profiles-dir {self.profiles_dir} holds no profiles.yml",
                         "pass the folder that holds profiles.yml, or leave --profiles-dir out")
        path, target, output = profiles.target_output(self.project)
        return Check(name, True, f"{path}, profile {self.project.config.get('profile')!r}, "
                                 f"target {target!r} ({output.get('type')})")

    def last_build(self, name: str) -> Check:
        if self.project is None:
            raise Skipped("no dbt project")
        self.models = self.project.omie_models()
        if not self.models:
            return Check(name, False, "the manifest has no model with meta.omie.endpoint",
                         "omie-push init <endpoint> writes a starter view; then dbt build")
        refusals = [r for m in self.models if (r := m.refusal(exists=True))]
        unbuilt = [m.name for m in self.models if m.build_status is None]
        if refusals:
            return Check(name, False, refusals[0] + (f" (and {len(refusals) - 1} more)"
                                                     if len(refusals) > 1 else ""),
                         "fix the model or its data, then dbt build")
        note = f" ({', '.join(unbuilt)} built before the last dbt command)" if unbuilt else ""
        return Check(name, True, f"{len(self.models)} omie view(s): "
                                 f"{', '.join(m.name for m in self.models)}{note}")

    def warehouse(self, name: str) -> Check:
        from ..dbt import profiles, warehouse
        from ..store.connect import connect

        if not self.models:
            raise Skipped("no omie views to look for")
        path = profiles.duckdb_path(self.project)
        con = connect(self.config.results_path if self.config else None, read_only=True)
        try:
            missing = [m.name for m in self.models
                       if not warehouse.relation_exists(self.project, m, con)]
        finally:
            con.close()
        if missing:
            return Check(name, False, f"{path}: no relation for {', '.join(missing)}",
                         "dbt build (the same profile and target omie-push reads)")
        return Check(name, True, f"{path} opens read-only; every omie view is there")

    def results(self, name: str) -> Check:
        import duckdb

        if self.config is None:
            raise Skipped("no configuration")
        path = self.config.results_path
        if not path.exists():
            return Check(name, True, f"{path} does not exist yet: the first push (or dbt build) "
                                     f"creates it")
        con = duckdb.connect(str(path), read_only=True)
        try:
            tables = {r[0] for r in con.execute("select table_name from information_schema.tables")
                      .fetchall()}
            runs = con.execute("select count(*) from runs").fetchone()[0] if "runs" in tables else 0
            ledger = con.execute("select count(*) from ledger where company = ?",
                                 [self.config.settings.app_key]).fetchone()[0] \
                if "ledger" in tables else 0
        finally:
            con.close()
        missing = sorted({"ledger", "runs", "row_results"} - tables)
        if missing and tables:
            return Check(name, False, f"{path} lacks the tables {', '.join(missing)}",
                         "move the file aside if it is not omie-push's; a push creates the tables")
        return Check(name, True, f"{path}: {runs} run(s), {ledger} record(s) Omie accepted for "
                                 f"this key")

    def omie_key(self, name: str) -> Check:
        import asyncio

        if self.config is None:
            raise Skipped("no configuration")
        return asyncio.run(self._whoami(name))

    async def _whoami(self, name: str) -> Check:
        from ..client.faults import classify
        from ..client.transport import make_client, post

        from dataclasses import replace

        settings = self.config.settings     # a short wait: one call, not a run of them
        settings = replace(settings, timeout_seconds=min(settings.timeout_seconds, 15.0))
        async with make_client(settings, self.config.transport()) as client:
            answer = await post(client, settings, EMPRESAS_PATH, "ListarEmpresas",
                                {"pagina": 1, "registros_por_pagina": 1, "apenas_importado_api": "N"})
        fault = classify(answer.status_code, answer.payload)
        where = f"app_key {settings.app_key} at {self.config.base_url or settings.base_url}"
        if fault is None and isinstance(answer.body, dict):
            rows = answer.body.get("empresas_cadastro") or [{}]
            company = rows[0]
            return Check(name, True, f"{where}: {company.get('razao_social', '?')} "
                                     f"(CNPJ {company.get('cnpj', '?')})")
        text = fault.faultstring if fault else f"HTTP {answer.status_code}"
        if fault is not None and fault.kind in ("redundant", "method_busy"):
            return Check(name, True, f"{where}: the key works (Omie: {text})")
        fix = ("check base_url and that Omie (or the sandbox) is reachable"
               if answer.status_code is None else
               "check app_key and app_secret (export the variables omie_push.yml names)")
        return Check(name, False, f"{where}: {text}", fix)


def _text(exc: Exception) -> str:
    from ..errors import OmiePushError

    text = str(exc) if isinstance(exc, OmiePushError) else f"{type(exc).__name__}: {exc}"
    return text.split(" Fix: ")[0].replace("\n", " ")


def _fix(exc: Exception) -> str:
    text = str(exc)
    return text.split(" Fix: ", 1)[1] if " Fix: " in text else ""
