"""Seeded SIGKILL trials (issue 10, item 10): a push killed at a random instant — before a write
reaches Omie, after Omie committed it while its answer is on its way, or just after the answer
left — then the next push. Every trial ends with Omie holding exactly what a clean push leaves
(checked through Omie's List calls over HTTP): no duplicate, nothing lost, the ledger agreeing
with Omie, and the next push sending only what the killed one left.

Deletes: a trial of the `delete` kind first pushes cleanly, then cancels receivables and a
payable in the source, and kills the push that deletes them. Lots: contas a receber go in lots
(UpsertContaReceberPorLote: the sample model sets lot_size 50, so its 16 go in one lot). The default run makes DEFAULT trials; `-m long` adds LONG more
(`make test` runs both).
"""
from __future__ import annotations

import json
import random
import time

import pytest

from .conftest import KEY, Project, cancel, clean_reference, kill, ledger_keys, served_sandbox

DEFAULT, LONG = 6, 18
PHASES = ("before", "held", "held", "after")          # between commit and answer, most often
UPSERT_POINTS = (("IncluirCategoria", 6), ("UpsertProjeto", 6), ("UpsertVendedor", 5),
                 ("UpsertCliente", 8), ("AssociarCodIntCliente", 2),
                 ("UpsertContaReceberPorLote", 1), ("UpsertContaPagar", 8), ("UpsertContrato", 3))
DELETE_POINTS = (("ExcluirContaReceber", 2), ("ExcluirContaPagar", 1))
CANCELLED = {"raw_receivables": 2, "raw_payables": 1}
FIGURES: list[dict] = []


def plan(seed: int) -> tuple[str, str, int, str]:
    """(kind, call, nth call, phase) of a trial, from its seed alone."""
    rng = random.Random(seed)
    kind = "delete" if seed % 4 == 3 else "upsert"
    call, count = rng.choice(DELETE_POINTS if kind == "delete" else UPSERT_POINTS)
    return kind, call, rng.randint(1, count), rng.choice(PHASES)


def cancelled_ids(project: Project) -> dict[str, list[str]]:
    import duckdb

    con = duckdb.connect(str(project.root / "warehouse.duckdb"), read_only=True)
    try:
        out = {}
        for table, n in CANCELLED.items():
            column = "receivable_id" if table == "raw_receivables" else "payable_id"
            out[table] = [str(r[0]) for r in con.execute(
                f"select {column} from main.{table} where status <> 'cancelado' "
                f"order by {column} limit {n}").fetchall()]
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def delete_reference(small, tmp_path_factory):
    """What Omie and the ledger hold after a clean push, the cancellations, and a second push."""
    project = Project(small)
    ids = cancelled_ids(project)

    def then_cancel(p: Project) -> None:
        p.push()
        for table, keys in ids.items():
            cancel(p.root, table, keys)
    try:
        ref = clean_reference(project, tmp_path_factory.mktemp("delete-ref"), before=then_cancel)
    finally:
        for table, keys in ids.items():
            cancel(project.root, table, keys, cancelled=False)
    return ref, ids


def trial(seed: int, project: Project, tmp_path, reference, delete_reference) -> dict:
    kind, call, nth, phase = plan(seed)
    ref, ids = (delete_reference if kind == "delete" else (reference, {}))
    with served_sandbox() as sb:
        project.aim(sb.url, tmp_path / f"results-{seed}.duckdb")
        try:
            if kind == "delete":
                first = project.push()
                assert first.exit_code in (0, 1), first.text
                for table, keys in ids.items():
                    cancel(project.root, table, keys)
            sb.tap.arm(call, nth, phase)
            child = project.spawn()
            assert sb.tap.hit.wait(120), f"seed {seed}: the push never made {call} #{nth}"
            if phase == "after":
                time.sleep(random.Random(seed).uniform(0, 0.03))
            kill(child)
            sb.tap.release()
            left_by_killed = ledger_keys(project)
            resumed = project.push()
            check(seed, project, sb, ref, resumed, left_by_killed)
            found = dict(project.results_rows(
                "select resolution, count(*) from intents where resolution in ('landed', 'not_landed') "
                "group by resolution"))
            rows = sum(sum(c.values()) for c in resumed.out["endpoints"].values())
            return {"seed": seed, "kind": kind, "call": call, "nth": nth, "phase": phase,
                    "journal_landed": found.get("landed", 0),
                    "journal_not_landed": found.get("not_landed", 0), "rows": rows,
                    "resumed_sent": sum(c["sent"] for c in resumed.out["endpoints"].values())}
        finally:
            for table, keys in ids.items():
                cancel(project.root, table, keys, cancelled=False)


def check(seed: int, project: Project, sb, ref, resumed, left_by_killed) -> None:
    where = f"seed {seed} {plan(seed)}"
    assert resumed.exit_code in (0, 1), (where, resumed.text)
    for view, counts in resumed.out["endpoints"].items():
        assert not counts.get("failed") and not counts.get("not_attempted"), (where, view, counts)
        if view.endswith("_excluir"):    # a delete that landed leaves the view (omie_ids)
            continue
        assert sum(counts.values()) == sum(ref.views[view].values()), (where, view, counts)
        assert counts["rejected"] == ref.views[view]["rejected"], (where, view)
    keys = sb.keys()
    for endpoint, expected in ref.keys.items():
        assert keys[endpoint] == expected, (where, endpoint, keys[endpoint] - expected,
                                            expected - keys[endpoint])
        assert all(n == 1 for n in keys[endpoint].values()), (where, endpoint, "duplicate")
    assert ledger_keys(project) == ref.ledger, where
    # the ledger's ids are Omie's own
    for endpoint, field in (("clientes", "codigo_cliente_omie"),
                            ("contas_receber", "codigo_lancamento_omie"),
                            ("contas_pagar", "codigo_lancamento_omie")):
        from .conftest import LISTINGS

        listed = {LISTINGS[endpoint][3](r): str(r.get(field)) for r in sb.listing(endpoint)}
        ours = dict(project.results_rows("select key, omie_id from ledger where company = ? and "
                                         "endpoint = ?", KEY, endpoint))
        assert all(listed.get(k) == v for k, v in ours.items()), (where, endpoint)
    # the push after the kill sent only what the killed one had not got recorded
    sent = project.results_rows("select endpoint, key from row_results where run_id = ? and "
                                "status = 'sent'", resumed.out["run_id"])
    again = [(e, k) for e, k in sent if k in left_by_killed.get(e, set())
             and not e.endswith("_excluir")]
    assert not again, (where, again)
    assert project.results_rows("select count(*) from intents where resolved_at is null") == [(0,)], where


@pytest.mark.parametrize("seed", range(DEFAULT))
def test_killed_push_then_the_next_push_leaves_omie_exact(seed, project, tmp_path, reference,
                                                          delete_reference):
    FIGURES.append(trial(seed, project, tmp_path, reference, delete_reference))


@pytest.mark.long
@pytest.mark.parametrize("seed", range(DEFAULT, DEFAULT + LONG))
def test_killed_push_long(seed, project, tmp_path, reference, delete_reference):
    FIGURES.append(trial(seed, project, tmp_path, reference, delete_reference))


def test_trial_plans_cover_every_phase_deletes_and_lots():
    plans = [plan(s) for s in range(DEFAULT + LONG)]
    assert {p[3] for p in plans} == {"before", "held", "after"}
    assert any(p[0] == "delete" for p in plans[:DEFAULT])
    assert any(p[1] == "UpsertContaReceberPorLote" for p in plans), json.dumps(plans)
