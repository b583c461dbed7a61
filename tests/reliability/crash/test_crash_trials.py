"""Seeded SIGKILL trials (issue 10, item 10): a push killed at a random instant — before a write
reaches Omie, after Omie committed it while its answer is on its way, or just after the answer
left — then the next push. Every trial ends with Omie holding exactly what a clean push leaves
(checked through Omie's List calls over HTTP): no duplicate, nothing lost, the ledger agreeing
with Omie, and the next push sending only what the killed one left.

Deletes: a trial of the `delete` kind starts where a clean push left Omie and the results store
(file copies of the reference's sandbox state and results) on a copy of the project whose
source cancels receivables and a payable, and kills the push that deletes them. Lots: a trial of
the `lot` kind kills the push at one of the 4 lots of UpsertContaReceberPorLote (the trials'
sample sends its 16 receivables in lots of 5). The default run makes DEFAULT trials; `-m long`
(or RELIABILITY_LONG=1, `make test-long`) adds LONG more seeds.
"""
from __future__ import annotations

import json
import random
import shutil
import time
from collections import Counter

import pytest

from .conftest import (KEY, LISTINGS, Project, cancel, clean_reference, kill, ledger_keys,
                       served_sandbox)

DEFAULT, LONG = 20, 12
PHASES = ("before", "held", "held", "after")          # between commit and answer, most often
UPSERT_POINTS = (("IncluirCategoria", 6), ("UpsertProjeto", 6), ("UpsertVendedor", 5),
                 ("UpsertCliente", 8), ("AssociarCodIntCliente", 2),
                 ("UpsertContaReceberPorLote", 4), ("UpsertContaPagar", 8), ("UpsertContrato", 3))
LOT_POINTS = (("UpsertContaReceberPorLote", 4),)
DELETE_POINTS = (("ExcluirContaReceber", 2), ("ExcluirContaPagar", 1))
KINDS = ("upsert", "lot", "upsert", "delete")         # by seed % 4
CANCELLED = {"raw_receivables": 2, "raw_payables": 1}
FIGURES: list[dict] = []


def plan(seed: int) -> tuple[str, str, int, str]:
    """(kind, call, nth call, phase) of a trial, from its seed alone."""
    rng = random.Random(seed)
    kind = KINDS[seed % 4]
    points = {"upsert": UPSERT_POINTS, "lot": LOT_POINTS, "delete": DELETE_POINTS}[kind]
    call, count = rng.choice(points)
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
def cancelled(small, tmp_path_factory) -> Project:
    """A copy of the small project whose source cancels CANCELLED receivables and payables."""
    root = tmp_path_factory.mktemp("cancelled") / "dbt_project"
    shutil.copytree(small, root, ignore=shutil.ignore_patterns("omie_results.duckdb*", "logs",
                                                               "omie_push.yml"))
    project = Project(root)
    for table, keys in cancelled_ids(project).items():
        cancel(root, table, keys)
    return project


@pytest.fixture(scope="module")
def delete_reference(cancelled, reference, tmp_path_factory):
    """What Omie and the ledger hold after a clean push and then a push of the cancellations."""
    return clean_reference(cancelled, tmp_path_factory.mktemp("delete-ref"), start=reference)


def trial(seed: int, project: Project, cancelled: Project, tmp_path, reference,
          delete_reference) -> dict:
    kind, call, nth, phase = plan(seed)
    started = time.monotonic()
    if kind == "delete":     # from where the clean push left Omie and the results store
        project, ref, start = cancelled, delete_reference, reference
    else:
        ref, start = reference, None
    results = tmp_path / f"results-{seed}.duckdb"
    with served_sandbox(start=start and start.state) as sb:
        if start is not None:
            start.restore(results)
        project.aim(sb.url, results)
        sb.tap.arm(call, nth, phase)
        child = project.spawn()
        assert sb.tap.hit.wait(120), f"seed {seed}: the push never made {call} #{nth}"
        if phase == "after":
            time.sleep(random.Random(seed).uniform(0, 0.03))
        kill(child)
        sb.tap.release()
        killed_at = time.monotonic()
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
                "resumed_sent": sum(c["sent"] for c in resumed.out["endpoints"].values()),
                "seconds_to_kill": round(killed_at - started, 1),
                "seconds": round(time.monotonic() - started, 1)}


def check(seed: int, project: Project, sb, ref, resumed, left_by_killed) -> None:
    where = f"seed {seed} {plan(seed)}"
    assert resumed.exit_code in (0, 1), (where, resumed.text)
    for view, counts in resumed.out["endpoints"].items():
        assert not counts.get("failed") and not counts.get("not_attempted"), (where, view, counts)
        if view.endswith("_excluir"):    # a delete that landed leaves the view (omie_ids)
            continue
        assert sum(counts.values()) == sum(ref.views[view].values()), (where, view, counts)
        assert counts["rejected"] == ref.views[view]["rejected"], (where, view)
    listed = {ep: sb.listing(ep) for ep in LISTINGS}
    for endpoint, expected in ref.keys.items():
        keys = Counter(LISTINGS[endpoint][3](r) for r in listed[endpoint])
        assert keys == expected, (where, endpoint, keys - expected, expected - keys)
        assert all(n == 1 for n in keys.values()), (where, endpoint, "duplicate")
    assert ledger_keys(project) == ref.ledger, where
    # the ledger's ids are Omie's own
    for endpoint, field in (("clientes", "codigo_cliente_omie"),
                            ("contas_receber", "codigo_lancamento_omie"),
                            ("contas_pagar", "codigo_lancamento_omie")):
        omie = {LISTINGS[endpoint][3](r): str(r.get(field)) for r in listed[endpoint]}
        ours = dict(project.results_rows("select key, omie_id from ledger where company = ? and "
                                         "endpoint = ?", KEY, endpoint))
        assert ours and all(omie.get(k) == v for k, v in ours.items()), (where, endpoint)
    # the push after the kill sent only what the killed one had not got recorded
    sent = project.results_rows("select endpoint, key from row_results where run_id = ? and "
                                "status = 'sent'", resumed.out["run_id"])
    again = [(e, k) for e, k in sent if k in left_by_killed.get(e, set())
             and not e.endswith("_excluir")]
    assert not again, (where, again)
    assert project.results_rows("select count(*) from intents where resolved_at is null") == [(0,)], where


@pytest.mark.parametrize("seed", range(DEFAULT))
def test_killed_push_then_the_next_push_leaves_omie_exact(seed, project, cancelled, tmp_path,
                                                          reference, delete_reference):
    FIGURES.append(trial(seed, project, cancelled, tmp_path, reference, delete_reference))


@pytest.mark.long
@pytest.mark.parametrize("seed", range(DEFAULT, DEFAULT + LONG))
def test_killed_push_long(seed, project, cancelled, tmp_path, reference, delete_reference):
    FIGURES.append(trial(seed, project, cancelled, tmp_path, reference, delete_reference))


def test_the_default_trials_cover_every_phase_deletes_and_lots():
    plans = [plan(s) for s in range(DEFAULT)]
    assert len(plans) >= 20
    assert {p[3] for p in plans} == {"before", "held", "after"}
    for calls in (("ExcluirContaReceber", "ExcluirContaPagar"), ("UpsertContaReceberPorLote",)):
        mine = [p for p in plans if p[1] in calls]
        assert {p[3] for p in mine} >= {"held"} and len(mine) >= 4, json.dumps(plans)
    assert len({p[2] for p in plans if p[1] == "UpsertContaReceberPorLote"}) >= 2   # lots 1..4
