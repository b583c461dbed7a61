"""The whole path: dbt build -> omie-push -> the sandbox over real HTTP -> the results file.

The tests share one built project and one sandbox and run in file order: first push, second
push (no call), a changed customer that fails once and is sent on the next run, a cancelled
receivable deleted once, the no-duplicates checks, and the CLI's dry run. Three dbt builds in all
(one full, two partial)."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter

import pytest

from .conftest import KEY, SECRET, dbt_build

pytestmark = pytest.mark.e2e

# endpoint -> (path, List call, array, how a listed record names its ledger key)
LISTINGS = {
    "clientes": ("geral/clientes/", "ListarClientes", "clientes_cadastro",
                 lambda r: r.get("codigo_cliente_integracao")),
    "projetos": ("geral/projetos/", "ListarProjetos", "cadastro", lambda r: r.get("codInt")),
    "vendedores": ("geral/vendedores/", "ListarVendedores", "cadastro", lambda r: r.get("codInt")),
    "contas_receber": ("financas/contareceber/", "ListarContasReceber", "conta_receber_cadastro",
                       lambda r: r.get("codigo_lancamento_integracao")),
    "contas_pagar": ("financas/contapagar/", "ListarContasPagar", "conta_pagar_cadastro",
                     lambda r: r.get("codigo_lancamento_integracao")),
    "contratos": ("servicos/contrato/", "ListarContratos", "contratoCadastro",
                  lambda r: (r.get("cabecalho") or {}).get("cCodIntCtr")),
    "categorias": ("geral/categorias/", "ListarCategorias", "categoria_cadastro",
                   lambda r: f"{r.get('categoria_superior')}|{r.get('descricao')}"),
}
STATE = {}
VIEWS = ("omie_categorias", "omie_projetos", "omie_vendedores", "omie_clientes", "omie_clientes_associar",
         "omie_contas_receber", "omie_contas_pagar", "omie_contratos", "omie_contas_receber_excluir",
         "omie_contas_pagar_excluir")
EXCLUIR_VIEWS = ("omie_contas_receber_excluir", "omie_contas_pagar_excluir")


def keys_in_omie(e2e, endpoint):
    path, call, array, key = LISTINGS[endpoint]
    return [key(r) for r in e2e.listing(path, call, array)]


def test_first_push_lands_every_valid_row_and_rejects_the_bad_ones(e2e):
    views_before = {v: e2e.warehouse(f"select count(*) from main.{v}")[0][0] for v in VIEWS}
    run = e2e.push()
    assert run.exit_code == 1, run.out          # the sample has bad rows on purpose
    STATE["first"] = run.out
    views = run.out["endpoints"]
    # no row dropped: every row of every view has exactly one outcome
    for view, counts in views.items():
        assert "error" not in counts, (view, counts)
        rows = views_before[view]
        recorded = e2e.results("select count(*) from row_results where run_id = ? and view = ?",
                               run.out["run_id"], view)[0][0]
        assert recorded == sum(counts[s] for s in ("sent", "unchanged", "rejected", "failed", "held",
                                                    "not_attempted")), view
        if view in ("omie_contratos_itens", "omie_contratos_departamentos"):
            continue
        assert recorded == rows, view
        assert counts["failed"] == 0 and counts["not_attempted"] == 0, (view, counts)
    # every accepted row is in the sandbox, as its List call shows; no refused row is
    for endpoint in LISTINGS:
        sent = {k for (k,) in e2e.results("select key from ledger where endpoint = ?", endpoint)}
        listed = set(keys_in_omie(e2e, endpoint))
        if endpoint == "contas_receber":        # the Excluir view deleted the cancelled ones
            sent -= {k for (k,) in e2e.results("select key from ledger where endpoint = 'contas_receber_excluir'")}
        assert sent and sent <= listed, endpoint
        refused = {k for (k,) in e2e.results(
            "select key from row_results where endpoint = ? and status in ('rejected', 'held')", endpoint)}
        assert not refused & listed, endpoint
    associated = {k for (k,) in e2e.results("select key from ledger where endpoint = 'clientes_associar'")}
    assert associated and associated <= set(keys_in_omie(e2e, "clientes"))
    # the bad sample rows are rejected with reasons, in the results file
    rejected = e2e.results("select view, key, reasons from row_results where status = 'rejected'")
    assert sum(c["rejected"] for c in views.values()) == len(rejected) > 0
    for view, key, reasons in rejected:
        assert json.loads(reasons)[0]["message"], (view, key)
    run_row = e2e.results("select target, outcome, exit_code, counts from runs where run_id = ?", run.out["run_id"])
    assert run_row[0][:3] == ("e2e", "finished with refused rows", 1)
    assert json.loads(run_row[0][3]) == views


def test_second_push_makes_no_call_and_reports_every_row_unchanged(e2e):
    """Every row the first push sent is unchanged and no call is made. (Should a sample ever
    send a row cancelled in the source, the only calls allowed here are its Excluir, and the
    push after this one must make none.)"""
    run = e2e.push()
    cancelled = {k for (k,) in e2e.results(
        "select key from row_results where run_id = ? and endpoint like '%_excluir'", run.out["run_id"])}
    assert all(call.startswith("Excluir") and key in cancelled for call, key in writes(run)), run.calls
    assert_one_drift_page_at_most(run)
    for endpoint, upsert in (("contas_receber_excluir", "contas_receber"), ("contas_pagar_excluir", "contas_pagar")):
        deleted = {k for (k,) in e2e.results("select key from row_results where run_id = ? and endpoint = ? "
                                             "and status = 'sent'", run.out["run_id"], endpoint)}
        assert not deleted & set(keys_in_omie(e2e, upsert)), endpoint          # gone from Omie
        assert not deleted & {k for (k,) in e2e.results("select key from ledger where endpoint = ?", upsert)}
    first = STATE["first"]["endpoints"]
    for view, counts in run.out["endpoints"].items():
        assert counts["failed"] == counts["not_attempted"] == 0, (view, counts)
        assert (counts["rejected"], counts["held"]) == (first[view]["rejected"], first[view]["held"]), view
        if view in EXCLUIR_VIEWS:
            continue
        assert counts["sent"] == 0, (view, counts)
        assert counts["unchanged"] == first[view]["sent"] - len(cancelled & _sent_keys(e2e, STATE["first"], view)), view

    again = e2e.push()
    assert writes(again) == []
    assert_one_drift_page_at_most(again)
    for view, counts in again.out["endpoints"].items():
        assert counts["sent"] == counts["failed"] == 0, (view, counts)
        assert counts["unchanged"] + counts["rejected"] + counts["held"] == sum(counts.values()), (view, counts)


def _sent_keys(e2e, out, view):
    return {k for (k,) in e2e.results("select key from row_results where run_id = ? and view = ? and status = 'sent'",
                                      out["run_id"], view)}


def test_changed_customer_fails_once_then_is_the_only_row_sent(e2e):
    seed = e2e.project / "seeds" / "raw_customers.csv"
    rows = list(csv.DictReader(seed.open(encoding="utf-8")))
    sent = {k for (k,) in e2e.results("select key from ledger where endpoint = 'clientes'")}
    target = next(r for r in rows if r["customer_id"] in sent)
    target["trade_name"] = (target["trade_name"] or "X")[:40] + " Renovada"
    with seed.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    dbt_build(e2e.project, "--select", "raw_customers+")
    code = target["customer_id"]
    before = e2e.results("select payload_hash from ledger where endpoint = 'clientes' and key = ?", code)

    failing = e2e.push("--select", "omie_clientes", target="faulty")
    assert failing.exit_code == 1
    assert failing.out["endpoints"]["omie_clientes"]["failed"] == 1
    assert set(failing.writes("UpsertCliente")) == {code}
    assert e2e.results("select payload_hash from ledger where endpoint = 'clientes' and key = ?", code) == before

    run = e2e.push()
    assert run.exit_code == 1      # the bad sample rows stay rejected
    assert run.writes("UpsertCliente") == [code]
    assert [c for c, _ in run.calls if not c.startswith(("Consultar", "Listar"))] == ["UpsertCliente"]
    assert run.out["endpoints"]["omie_clientes"]["sent"] == 1
    stored = e2e.omie("geral/clientes/", "ConsultarCliente", {"codigo_cliente_integracao": code})
    assert stored["nome_fantasia"] == target["trade_name"]


def test_a_new_category_whose_answer_is_lost_is_created_once_and_a_cancelled_receivable_deleted_once(e2e):
    """A new category, sent where Omie commits the write but the answer is lost: the sender
    finds it (ListarCategorias) instead of including it again, and the ledger records it.
    A receivable cancelled in the source: dbt moves it to the Excluir view, the push deletes it
    (ExcluirContaReceber), forgets its upsert ledger entry, and never deletes it twice."""
    additions = e2e.project / "seeds" / "raw_category_additions.csv"
    with additions.open("a", encoding="utf-8") as f:
        f.write("2.02,Seguros Empresariais,Apólices de seguro do escritório\n")
    seed = e2e.project / "seeds" / "raw_receivables.csv"
    rows = list(csv.DictReader(seed.open(encoding="utf-8")))
    in_omie = set(keys_in_omie(e2e, "contas_receber"))
    target = next(r for r in rows if r["receivable_id"] in in_omie and r["status"] != "cancelado")
    target["status"] = "cancelado"
    with seed.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    dbt_build(e2e.project, "--select", "raw_receivables+", "raw_category_additions+")
    code = target["receivable_id"]

    lost = e2e.push("--select", "omie_categorias", target="lossy")
    assert lost.exit_code == 0, lost.out
    assert lost.writes("IncluirCategoria") == ["Seguros Empresariais"]
    assert "ListarCategorias" in {c for c, _ in lost.calls}        # the answer was lost: it looked
    assert lost.out["endpoints"]["omie_categorias"]["sent"] == 1
    assert Counter(keys_in_omie(e2e, "categorias"))["2.02|Seguros Empresariais"] == 1
    assert e2e.results("select omie_id like '2.02.%' from ledger where key = '2.02|Seguros Empresariais'") == [(True,)]

    run = e2e.push()
    assert [c for c, _ in writes(run)] == ["ExcluirContaReceber"], run.calls
    assert run.out["endpoints"]["omie_contas_receber_excluir"]["sent"] == 1
    assert code not in keys_in_omie(e2e, "contas_receber")
    assert e2e.results("select count(*) from ledger where endpoint = 'contas_receber' and key = ?", code) == [(0,)]
    payload = e2e.results("select payload from row_results where run_id = ? and endpoint = 'contas_receber_excluir'",
                          run.out["run_id"])[0][0]
    assert list(json.loads(payload)) == ["codigo_lancamento_integracao"]

    again = e2e.push()
    assert writes(again) == []
    assert_one_drift_page_at_most(again)


def writes(run) -> list:
    """The calls of a run other than reads (the drift check lists each endpoint first)."""
    return [(c, k) for c, k in run.calls if not c.startswith(("Listar", "Consultar"))]


def assert_one_drift_page_at_most(run) -> None:
    """With nothing drifted, each endpoint's drift check costs at most one List page."""
    reads = Counter(c for c, _ in run.calls if c.startswith("Listar"))
    assert all(n == 1 for n in reads.values()), reads


def test_no_second_record_for_a_key_even_on_full_refresh(e2e):
    before = {ep: Counter(keys_in_omie(e2e, ep)) for ep in LISTINGS}
    run = e2e.push("--full-refresh")
    assert run.writes("IncluirCategoria") == []          # a category in the ledger is never included again
    assert run.out["endpoints"]["omie_clientes"]["sent"] > 0
    for endpoint in LISTINGS:
        after = Counter(keys_in_omie(e2e, endpoint))
        ours = {k for (k,) in e2e.results("select key from ledger where endpoint = ?", endpoint)}
        assert all(after[k] == 1 for k in ours), (endpoint, [k for k in ours if after[k] != 1])
        assert sum(after.values()) == sum(before[endpoint].values()), endpoint


def test_cli_dry_run_plans_without_calls(e2e):
    exe = [sys.executable, "-m", "omie_push.cli"]
    done = subprocess.run([*exe, "--project-dir", str(e2e.project), "--dry-run", "--json"],
                          capture_output=True, text=True, timeout=120,
                          env={"E2E_OMIE_APP_SECRET": SECRET, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1, done.stderr[-2000:]      # rejected sample rows
    assert SECRET not in done.stdout + done.stderr
    out = json.loads(done.stdout)
    assert out["dry_run"] is True and out["target"] == "e2e"
    assert all(v["sent"] == 0 for v in out["endpoints"].values())
    assert out["endpoints"]["omie_clientes"]["to_send"] == 0
    assert KEY == e2e.results("select company from runs where run_id = ?", out["run_id"])[0][0]
