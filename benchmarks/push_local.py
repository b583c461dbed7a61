"""The pusher's own overhead: read, validate, diff, payloads, ledger, for a clientes view of N
rows, with Omie answering at once (an httpx.MockTransport behind the real sender, budgets
raised so pacing does not bound the figure).

    .venv/bin/python benchmarks/push_local.py --rows 10000

Prints seconds for: a dry run, the first push (N rows sent, N ledger writes), a second push
(N rows unchanged, no call). What Omie's limits cost on top is `omie-push --dry-run`'s estimate
(about 4 calls per second per method at 240/min).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import tempfile
import time
from pathlib import Path

import duckdb
import httpx

OMIE_PUSH_YML = """
target: bench
targets:
  bench:
    base_url: embedded
    app_key: bench-key
    app_secret: bench-secret
    budgets: {calls_per_minute_per_method: 100000000, calls_per_minute_per_ip: 100000000,
              writes_in_flight_per_method: 16, redundant_window_seconds: 0.01}
"""
PROFILES = """
bench:
  target: dev
  outputs:
    dev: {type: duckdb, path: "{{ env_var('DBT_PROJECT_DIR', '.') }}/warehouse.duckdb"}
"""


def make_project(root: Path, rows: int) -> None:
    """A dbt project's artifacts and warehouse, written directly (no dbt run is timed here)."""
    (root / "target").mkdir(parents=True)
    (root / "dbt_project.yml").write_text("name: bench\nprofile: bench\n")
    (root / "profiles.yml").write_text(PROFILES)
    (root / "omie_push.yml").write_text(OMIE_PUSH_YML)
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    con.execute(f"""create view omie_clientes as select
        'CLI-' || lpad(i::varchar, 8, '0') as codigo_cliente_integracao,
        'Empresa ' || i || ' Comercio Ltda' as razao_social,
        'contato' || i || '@empresa.com.br' as email, 'SP' as estado, 'N' as inativo
        from range({rows}) t(i)""")
    con.close()
    node = {"resource_type": "model", "name": "omie_clientes", "database": "warehouse", "schema": "main",
            "alias": "omie_clientes", "config": {"meta": {"omie": {"endpoint": "clientes"}}}}
    (root / "target" / "manifest.json").write_text(json.dumps({"nodes": {"model.bench.omie_clientes": node}}))
    (root / "target" / "run_results.json").write_text(
        json.dumps({"results": [{"unique_id": "model.bench.omie_clientes", "status": "success"}]}))


def answer(request: httpx.Request) -> httpx.Response:
    param = json.loads(request.content)["param"][0]
    return httpx.Response(200, json={"codigo_cliente_omie": 1, "codigo_status": "0", "descricao_status": "ok",
                                     "codigo_cliente_integracao": param["codigo_cliente_integracao"]})


def timed(label: str, **options) -> None:
    from omie_push.client import make_sender
    from omie_push.cli.push import run_push as push

    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = push(sender_factory=lambda s: make_sender(s, transport=httpx.MockTransport(answer)),
                    as_json=True, **options)
    print(f"{label:<32} {time.perf_counter() - started:7.2f} s  (exit {code})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    import great_expectations  # noqa: F401  - imported before the clock, as a CLI run pays it once

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        make_project(root, args.rows)
        print(f"clientes view of {args.rows} rows")
        timed("dry run", project_dir=str(root), dry_run=True)
        timed("first push (all sent)", project_dir=str(root))
        timed("second push (all unchanged)", project_dir=str(root))


if __name__ == "__main__":
    main()
