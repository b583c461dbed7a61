"""The issue's "done when" on the sample project: built by the real `dbt build`, pushed to the
sandbox served over HTTP (with the demo's fixtures), then edited as a person in Omie's screens
and changed in a seed."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from omie_push.sandbox.testing import admin, serve

DBT = Path(sys.executable).with_name("dbt")
KEY, SECRET = "4400000000102", "demo-drift-secret"
TARGET = """
target: served
targets:
  served:
    base_url: {url}
    app_key: "{key}"
    app_secret: "{secret}"
    max_attempts: 2
    budgets: {{calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000,
               redundant_window_seconds: 0.05}}
"""


def dbt_build(project: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
    done = subprocess.run([str(DBT), "build", "--profiles-dir", ".", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]


def push(project: Path, *args: str) -> tuple[int, str]:
    """`omie-push ARGS --project-dir PROJECT`, in this process (stdout only)."""
    from click.testing import CliRunner

    from omie_push.cli import main

    result = CliRunner().invoke(main, [*args, "--project-dir", str(project)])
    assert SECRET not in result.output
    return result.exit_code, result.stdout


def set_street(project: Path, customer: str, street: str) -> str:
    """Change one customer's street in the seed; returns the street it had."""
    path = project / "seeds" / "raw_customers.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    row = next(r for r in rows if r["customer_id"] == customer)
    old, row["street"] = row["street"], street
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return old


@pytest.fixture
def demo(sample_build, tmp_path, monkeypatch):
    monkeypatch.delenv("DBT_PROJECT_DIR", raising=False)
    project = sample_build.copy_to(tmp_path / "dbt_project")     # as `dbt build` left it
    with serve({KEY: SECRET}, tmp_path / "omie.sqlite", fixtures=["demo"]) as url:
        (project / "omie_push.yml").write_text(TARGET.format(url=url, key=KEY, secret=SECRET))
        code, _ = push(project)
        assert code in (0, 1)          # the sample has bad rows on purpose
        yield project, url


def test_demo_drift_and_a_live_dry_run_after_a_seed_change(demo):
    project, url = demo
    # someone fixes a client's address in Omie's screens; the warehouse does not change
    edited = admin(url, "edit", KEY, SECRET, endpoint="clientes", code="CLI-0001",
                   changes={"endereco": "Rua Corrigida pelo Financeiro"})["record"]
    # and a due date moved, a contract's billing day changed (nested: cabecalho.nDiaFat)
    admin(url, "edit", KEY, SECRET, endpoint="contas_receber", code="CR-0001",
          changes={"data_vencimento": "30/12/2026"})
    admin(url, "edit", KEY, SECRET, endpoint="contratos", code="CTR-008",
          changes={"cabecalho": {"nDiaFat": 15}})
    code, out = push(project, "--json")
    report = json.loads(out)
    assert report["drift"]["omie_clientes"]["unresolved_keys"] == ["CLI-0001"]
    assert report["drift"]["omie_contas_receber"]["unresolved_keys"] == ["CR-0001"]
    assert report["drift"]["omie_contratos"]["unresolved_keys"] == ["CTR-008"]
    assert all(v["sent"] == 0 for v in report["endpoints"].values())
    code, out = push(project, "drift", "--json")
    found = {r["key"]: r for r in json.loads(out)["drift"]}
    assert (found["CR-0001"]["field"], found["CR-0001"]["omie_value"]) == ("data_vencimento", "30/12/2026")
    assert (found["CTR-008"]["field"], found["CTR-008"]["our_value"], found["CTR-008"]["omie_value"]) == (
        "cabecalho.nDiaFat", "1", "15")
    row = found["CLI-0001"]
    assert len(found) == 3
    assert (row["key"], row["field"], row["omie_value"]) == ("CLI-0001", "endereco",
                                                             "Rua Corrigida pelo Financeiro")
    assert row["our_value"] == "Avenida Sete de Setembro"
    assert (row["changed_by"], row["changed_at"]) == (
        edited["info"]["uAlt"], f"{edited['info']['dAlt']} {edited['info']['hAlt']}")
    # a seed change: the live dry run shows the changed field, old -> new
    old = set_street(project, "CLI-0002", "Avenida Paulista")
    dbt_build(project, "--select", "raw_customers+")
    code, text = push(project, "--dry-run", "--live", "--select", "omie_clientes")
    assert f"update CLI-0002: endereco '{old}' -> 'Avenida Paulista'" in text, text
    code, out = push(project, "--dry-run", "--live", "--select", "omie_clientes", "--json")
    (live,) = json.loads(out)["live"]["omie_clientes"]
    assert live == {"key": "CLI-0002", "action": "update", "checked": True,
                    "changes": [{"field": "endereco", "old": old, "new": "Avenida Paulista"}]}
