"""The README's newcomer path and its queries: the steps in order, and each example query runs
against the results tables as the store creates them."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from omie_push.store.schema import DDL

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_own_project_section_walks_install_init_build_debug_dry_run_push():
    section = README[README.index("## Your own project"):README.index("## What a run prints")]
    steps = ["pip install -e", "omie-push init", "dbt build", "omie-push debug",
             "omie-push --dry-run", "**Push**"]
    places = [section.index(step) for step in steps]
    assert places == sorted(places)
    assert "omie-push catalog clientes --field recomendacoes" in section
    assert "## Scheduling it" in README and "crontab" in README


def test_the_three_example_queries_run_on_the_results_tables(tmp_path):
    block = re.search(r"```sql\n(.*?)```", README[README.index("## Where results land"):], re.S).group(1)
    queries = [q.strip() for q in re.sub(r"--[^\n]*", "", block).split(";") if q.strip()]
    assert len(queries) == 3
    con = duckdb.connect(str(tmp_path / "omie_results.duckdb"))
    con.execute(DDL)
    con.execute("insert into runs (run_id, target, started_at, dry_run, outcome, exit_code, "
                "duration_seconds) values ('r1', 'sandbox', now(), false, 'finished with refused rows', 1, 2.5)")
    con.execute("""insert into row_results (run_id, endpoint, view, key, status, reasons) values
        ('r1', 'clientes', 'omie_clientes', 'C-9', 'rejected', '[{"message": "cnpj_cpf has wrong check digits"}]'),
        ('r1', 'clientes', 'omie_clientes', 'C-1', 'sent', null)""")
    con.execute("insert into ledger values ('k', 'clientes', 'C-1', 'h', '2744200010', null, 'r1', now())")
    runs, refused, ids = (con.execute(q).fetchall() for q in queries)
    assert runs[0][:4] == ("r1", "sandbox", "finished with refused rows", 1)
    assert refused == [("omie_clientes", "C-9", "rejected", "cnpj_cpf has wrong check digits")]
    assert ids[0][:2] == ("C-1", "2744200010")
