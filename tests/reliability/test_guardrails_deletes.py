"""Delete guardrails (issue 10, item 8): an Excluir endpoint deletes at most `max_deletes`
records in one run (20 unless omie_push.yml says otherwise) unless the run allows more with
`--allow-deletes N`; the dry run lists what would be deleted."""
from __future__ import annotations

from pathlib import Path

from omie_push.push import config

from .conftest import target_yaml

RECEBER = ("financas/contareceber/", "ListarContasReceber", "conta_receber_cadastro")


def test_a_view_that_suddenly_deletes_30_receivables_is_held_until_allowed(rig):
    first = rig.push("--select", "+omie_contas_receber")
    assert first.out["endpoints"]["omie_contas_receber"]["sent"] > 30
    # the Excluir view goes wrong: 30 receivables Omie holds look cancelled
    rig.warehouse(f"attach '{rig.project / 'omie_results.duckdb'}' as omie_results (read_only)",
                  "create or replace view main.omie_contas_receber_excluir as "
                  "select cast(omie_id as bigint) as chave_lancamento, key as codigo_lancamento_integracao "
                  "from omie_results.main.ledger where endpoint = 'contas_receber' order by key limit 30")
    before = {r["codigo_lancamento_integracao"] for r in rig.listing(*RECEBER)}

    only = ("--select", "omie_contas_receber_excluir")
    plan = rig.push("--dry-run", *only)
    excluir = plan.out["endpoints"]["omie_contas_receber_excluir"]
    assert len(excluir["to_delete"]) == 30 and excluir["held"] == 30
    assert set(excluir["to_delete"]) <= before

    held = rig.push(*only)
    assert held.exit_code == 1
    assert held.out["endpoints"]["omie_contas_receber_excluir"]["held"] == 30
    note = rig.results("select note from row_results where run_id = ? and view = "
                       "'omie_contas_receber_excluir' limit 1", held.out["run_id"])[0][0]
    assert "exceed the 20" in note and "--allow-deletes 30" in note
    assert {r["codigo_lancamento_integracao"] for r in rig.listing(*RECEBER)} == before

    too_few = rig.push("--allow-deletes", "29", *only)
    assert too_few.out["endpoints"]["omie_contas_receber_excluir"]["held"] == 30
    allowed = rig.push("--allow-deletes", "30", *only)
    assert allowed.out["endpoints"]["omie_contas_receber_excluir"]["sent"] == 30, allowed.out
    after = {r["codigo_lancamento_integracao"] for r in rig.listing(*RECEBER)}
    assert before - after == set(excluir["to_delete"])


def test_max_deletes_is_set_per_target(tmp_path: Path):
    (tmp_path / "omie_push.yml").write_text(target_yaml("http://127.0.0.1:1/api/v1",
                                                        extra="    max_deletes: 5\n"))
    assert config.load(tmp_path).settings.max_deletes == 5
    (tmp_path / "omie_push.yml").write_text(target_yaml("http://127.0.0.1:1/api/v1"))
    assert config.load(tmp_path).settings.max_deletes == 20
