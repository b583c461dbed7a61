"""What the embedded Omie sandbox holds, per company (app key) and record kind: the effect of a
push, seen without an Omie account.

The sandbox keeps its records in SQLite (omie_push/sandbox/state.py: tables `companies` and
`records(company, kind, id, code, doc, seq, data)`). It is read here with a read-only
connection (`mode=ro`), which in SQLite's WAL mode never blocks the sandbox's writer, and
closed at once. The state file is the one the target's configuration names, as the push finds it.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The sandbox's record kind that holds each endpoint's records (Excluir endpoints delete them).
KIND_OF = {"categorias": "categoria", "projetos": "projeto", "vendedores": "vendedor",
           "clientes": "cliente", "clientes_associar": "cliente", "contas_receber": "conta_receber",
           "contas_pagar": "conta_pagar", "contratos": "contrato"}


@dataclass(frozen=True)
class SandboxState:
    target: str
    path: Path
    app_key: str              # the target's company (never its secret)

    @property
    def exists(self) -> bool:
        return self.path.exists()


def of_target(project_dir: str | Path | None = None, target: str | None = None) -> SandboxState | None:
    """The sandbox state of a target of omie_push.yml (the default one unless named), or None
    when that target is not the embedded sandbox."""
    from ..push import config
    from .source import project_dir_of

    cfg = config.load(project_dir_of(project_dir), target)
    if cfg.sandbox is None:
        return None
    return SandboxState(cfg.settings.name, Path(cfg.sandbox.state), cfg.settings.app_key)


def _query(state: SandboxState, sql: str, params: tuple = ()) -> list[tuple]:
    if not state.exists:
        return []
    uri = f"{state.path.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
        return db.execute(sql, params).fetchall()


def kinds(state: SandboxState):
    """Records per company and kind."""
    import polars as pl

    rows = _query(state, "select company, kind, count(*) from records group by company, kind "
                         "order by company, kind")
    schema = {"company": pl.String, "kind": pl.String, "records": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def records(state: SandboxState, company: str, kind: str, limit: int = 500):
    """The records of one kind, as the sandbox would answer them: id, integration code, and
    the record's top-level fields (nested ones as JSON text)."""
    import polars as pl

    rows = _query(state, "select id, code, data from records where company = ? and kind = ? "
                         "order by seq limit ?", (company, kind, limit))
    lines = [{"id": rid, "code": code, **{k: _cell(v) for k, v in json.loads(data).items()}}
             for rid, code, data in rows]
    if not lines:
        return pl.DataFrame(schema={"id": pl.String, "code": pl.String})
    return pl.DataFrame(lines, infer_schema_length=None)


def ids_in_sandbox(state: SandboxState, ledger) -> Any:
    """Per endpoint: the Omie ids the results' ledger holds for this company, and how many of
    them the sandbox has (a push's effect, checked from both sides)."""
    import polars as pl

    have = {(kind, rid) for kind, rid in _query(
        state, "select kind, id from records where company = ?", (state.app_key,))}
    mine = ledger.filter((pl.col("company") == state.app_key) & pl.col("omie_id").is_not_null())
    lines = []
    for endpoint, ids in mine.group_by("endpoint").agg(pl.col("omie_id")).iter_rows():
        kind = KIND_OF.get(endpoint)
        if kind is None:
            continue
        lines.append((endpoint, kind, len(ids), sum((kind, str(i)) in have for i in ids)))
    schema = {"endpoint": pl.String, "kind": pl.String, "ids_in_ledger": pl.Int64,
              "found_in_sandbox": pl.Int64}
    return pl.DataFrame(lines, schema=schema, orient="row").sort("endpoint")


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return None if value is None else str(value)
