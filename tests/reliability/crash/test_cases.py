"""Issue 10's cases 1, 2, 3, 8, 9 and 10, each on the small sample against the sandbox over HTTP.
Each test says which case it is and how the code before the fix failed it. Cases 2, 3 and item 2
start where the reference's clean push left Omie and the results store (file copies of both)."""
from __future__ import annotations

import os
import subprocess
from collections import Counter

from .conftest import DBT, KEY, Project, cancel, kill, ledger_keys, served_sandbox

RECEIVABLES = "financas/contareceber/"


def first_receivable(project: Project) -> str:
    rows = project.results_rows("select key from ledger where company = ? and endpoint = "
                                "'contas_receber' order by key limit 1", KEY)
    return rows[0][0]


def in_omie(sb, code: str) -> bool:
    status, body = sb.call(RECEIVABLES, "ConsultarContaReceber", {"codigo_lancamento_integracao": code})
    return status == 200 and body.get("codigo_lancamento_integracao") == code


def test_case_1_killed_between_commit_and_answer_the_category_is_not_created_twice(project, tmp_path):
    """Case 1: SIGKILL while IncluirCategoria's answer is on its way (Omie committed). Before the
    journal, the next run found no ledger entry and created the category again (two "X" in
    Omie, reported sent, exit 0). Now the next run asks ListarCategorias first."""
    with served_sandbox() as sb:
        project.aim(sb.url, tmp_path / "results.duckdb")
        sb.tap.arm("IncluirCategoria", 2, "held")
        child = project.spawn()
        assert sb.tap.hit.wait(120)
        kill(child)
        sb.tap.release()
        sb.tap.seen.clear()
        resumed = project.push()
        assert resumed.exit_code in (0, 1), resumed.text
        categories = sb.keys()["categorias"]
        ours = ledger_keys(project)["categorias"]
        assert len(ours) == 6 and all(categories[k] == 1 for k in ours), categories
        assert "journal" in resumed.text and "had landed" in resumed.text
        assert sb.tap.seen["IncluirCategoria"] == 4          # the six, less the two that landed
        # the held one landed (and the one before it, if its answer was not yet recorded)
        landed = project.results_rows("select count(*) from intents where call = 'IncluirCategoria' "
                                      "and resolution = 'landed'")[0][0]
        assert landed in (1, 2)
        assert project.results_rows("select count(*) from intents where resolved_at is null") == [(0,)]


def test_case_2_killed_after_a_delete_committed_the_next_runs_do_not_fail(project, tmp_path, reference):
    """Case 2: SIGKILL after ExcluirContaReceber committed. Before, every later run sent the
    Excluir again, recorded `failed` ("Lançamento não cadastrado"), exited 1 and added one more
    error to Omie's misuse count, forever."""
    with served_sandbox(start=reference.state) as sb:      # where a clean push left Omie
        reference.restore(tmp_path / "results.duckdb")
        project.aim(sb.url, tmp_path / "results.duckdb")
        code = first_receivable(project)
        cancel(project.root, "raw_receivables", [code])
        try:
            sb.tap.arm("ExcluirContaReceber", 1, "held")
            child = project.spawn()
            assert sb.tap.hit.wait(120)
            kill(child)
            sb.tap.release()
            assert not in_omie(sb, code)                     # the delete had landed
            sb.tap.seen.clear()
            resumed = project.push()
            assert not any(c.get("failed") for c in resumed.out["endpoints"].values()), resumed.out
            assert sb.tap.seen["ExcluirContaReceber"] == 0   # the journal settled it: not re-sent
            assert code not in ledger_keys(project).get("contas_receber", set())
            sb.tap.seen.clear()
            again = project.push()
            assert sb.tap.seen["ExcluirContaReceber"] == 0 and again.exit_code == resumed.exit_code
        finally:
            cancel(project.root, "raw_receivables", [code], cancelled=False)


def test_item_2_a_delete_answered_nao_cadastrado_for_our_record_counts_as_done(project, tmp_path, reference):
    """Item 2: the receivable omie-push created is already gone from Omie (deleted in Omie's
    screens, or by a run whose journal was lost). Before, its Excluir failed on every run."""
    with served_sandbox(start=reference.state) as sb:      # where a clean push left Omie
        reference.restore(tmp_path / "results.duckdb")
        project.aim(sb.url, tmp_path / "results.duckdb")
        code = first_receivable(project)
        status, _ = sb.call(RECEIVABLES, "ExcluirContaReceber", {"codigo_lancamento_integracao": code})
        assert status == 200
        cancel(project.root, "raw_receivables", [code])
        try:
            run = project.push()
            counts = run.out["endpoints"]["omie_contas_receber_excluir"]
            assert counts["sent"] == 1 and counts["failed"] == 0, counts
            note = project.results_rows("select note from row_results where run_id = ? and "
                                        "endpoint = 'contas_receber_excluir'", run.out["run_id"])
            assert "counted as deleted" in note[0][0]
            assert code not in ledger_keys(project).get("contas_receber", set())
        finally:
            cancel(project.root, "raw_receivables", [code], cancelled=False)


def test_case_3_cancel_reopen_cancel_deletes_again(project, tmp_path, reference):
    """Case 3: created, cancelled (deleted), reopened (created again), cancelled again. Before,
    the second cancellation was `unchanged` (the first delete's ledger entry was never cleared)
    and the receivable stayed in Omie."""
    with served_sandbox(start=reference.state) as sb:      # where a clean push left Omie
        reference.restore(tmp_path / "results.duckdb")
        project.aim(sb.url, tmp_path / "results.duckdb")
        code = first_receivable(project)
        try:
            for cycle in range(2):
                cancel(project.root, "raw_receivables", [code])
                run = project.push()
                assert run.out["endpoints"]["omie_contas_receber_excluir"]["sent"] == 1, (cycle, run.out)
                assert not in_omie(sb, code), cycle
                cancel(project.root, "raw_receivables", [code], cancelled=False)
                run = project.push()
                assert run.out["endpoints"]["omie_contas_receber"]["sent"] == 1, (cycle, run.out)
                assert in_omie(sb, code), cycle
                assert code not in ledger_keys(project).get("contas_receber_excluir", set())
        finally:
            cancel(project.root, "raw_receivables", [code], cancelled=False)


def test_case_9_a_lost_results_file_is_said_aloud_and_nothing_is_created_twice(project, tmp_path):
    """Case 9: deleting omie_results.duckdb re-sent everything without a word, six categories
    created twice. Now the run warns before writing and matches categorias by ListarCategorias."""
    with served_sandbox() as sb:
        results = tmp_path / "results.duckdb"
        project.aim(sb.url, results)
        first = project.push()
        assert "warnings" not in first.out or not any("already holds" in w for w in first.out["warnings"])
        before = sb.keys()
        results.unlink()
        sb.tap.seen.clear()
        again = project.push()
        warnings = " ".join(again.out.get("warnings", []))
        assert "no ledger" in warnings and "already holds" in warnings, again.out
        assert "categor" in warnings and "not created again" in warnings
        assert sb.tap.seen["IncluirCategoria"] == 0
        assert sb.keys() == before                        # not one record more
        assert len(ledger_keys(project)["categorias"]) == 6


def test_case_8_dbt_build_runs_in_the_middle_of_a_push(project, tmp_path):
    """Case 8: the push held the results file for the whole run and dbt's profile attached it
    read-write, so `dbt build` could not run during a push. Here a real push is held mid-run by
    a slow answer (the sandbox's slow_after_commit fault) while a real `dbt build` runs; both
    succeed."""
    results = project.root / "omie_results.duckdb"        # the file dbt reads as its source
    results.unlink(missing_ok=True)
    with served_sandbox(faults="slow_after_commit=0.2@0.3") as sb:
        project.aim(sb.url, results, timeout=300)
        sb.tap.arm("UpsertCliente", 3, "held")
        child = project.spawn()
        try:
            assert sb.tap.hit.wait(120)
            env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
            built = subprocess.run([str(DBT), "build", "--profiles-dir", ".", "--exclude",
                                    "resource_type:seed"], cwd=project.root, env=env,
                                   capture_output=True, text=True, timeout=600)
            assert built.returncode == 0, built.stdout[-3000:]
            assert child.is_alive()                          # the push was mid-run meanwhile
        finally:
            sb.tap.release()
        child.join(timeout=300)
        assert child.exit_file.read_text() in ("0", "1"), child.exit_file.with_suffix(".exit.out")
        views = project.results_rows("select count(*) from ledger where endpoint = 'clientes'")
        assert views[0][0] > 0
    results.unlink()


def test_case_10_killed_before_its_lots_went_out_the_next_run_lists_instead_of_asking_each(
        project, tmp_path):
    """Case 10 (found by the crash trials once the receivables went in 4 lots): SIGKILL before
    the first lot reached Omie leaves the intents of all 16 receivables open. The next run asked
    ConsultarContaReceber for each; Omie answers "não cadastrado", an error it counts, so the
    breaker stopped the method at 8 and 8 receivables were held, the run exiting 1 with Omie
    short of them (and 8 errors towards Omie's block of the method). Now it lists once."""
    with served_sandbox() as sb:
        project.aim(sb.url, tmp_path / "results.duckdb")
        sb.tap.arm("UpsertContaReceberPorLote", 1, "before")
        child = project.spawn()
        assert sb.tap.hit.wait(120)
        kill(child)
        sb.tap.release()
        opened = project.results_rows("select count(*) from intents where call = "
                                      "'UpsertContaReceberPorLote' and resolved_at is null")[0][0]
        assert opened >= 9, opened                 # more than the breaker lets fail
        sb.tap.seen.clear()
        resumed = project.push()
        counts = resumed.out["endpoints"]["omie_contas_receber"]
        assert counts["held"] == 0 and counts["sent"] == 16, (counts, resumed.text)
        assert sb.tap.seen["ListarContasReceber"] >= 1
        assert sb.tap.seen["ConsultarContaReceber"] <= 1, sb.tap.seen     # the first-row check
        assert len(sb.keys()["contas_receber"] & Counter(ledger_keys(project)["contas_receber"])) == 16
        assert project.results_rows("select count(*) from intents where resolved_at is null") == [(0,)]
