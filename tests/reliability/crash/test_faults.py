"""Faults at several rates (issue 10, item 10): Broken response, HTML 5xx, timeouts (answers later
than the client waits), dropped connections, 429 bursts, REDUNDANT after a committed write,
answers lost or late after a commit. The push runs again until a run leaves nothing failed; Omie
then holds exactly what a clean push leaves (List over HTTP), with no duplicate, and every row
of every view is accounted for in each run."""
from __future__ import annotations

import pytest

from .conftest import ledger_keys, served_sandbox

FIGURES: list[dict] = []


def spec(rate: float) -> str:
    """Every kind of fault the sandbox injects: `rate` is the chance that a call meets one before
    Omie's side (split over Broken response, HTML 502/503/504, late answers, drops and 429
    bursts) and, apart, that a committed write's answer is disguised or lost (REDUNDANT, dropped
    or late after the commit)."""
    r = rate
    return (f"broken={r * .3:.3f},html502={r * .1:.3f},html503={r * .1:.3f},html504={r * .1:.3f},"
            f"slow={r * .1:.3f}@1.5,drop={r * .2:.3f},burst429={r * .1:.3f}@0.5,"
            f"redundant_after_commit={r * .5:.3f},drop_after_commit={r * .25:.3f},"
            f"slow_after_commit={r * .25:.3f}@1.5")


def converge(project, sb, reference, rate: float, seed: int, max_runs: int = 6) -> dict:
    runs = []
    for _ in range(max_runs):
        run = project.push()
        assert run.exit_code in (0, 1, 3), run.text
        for view, counts in run.out["endpoints"].items():
            if not view.endswith("_excluir"):
                assert sum(counts[s] for s in ("sent", "unchanged", "rejected", "failed", "held",
                                               "not_attempted")) == sum(reference.views[view].values()), (view, counts)
        runs.append(run)
        if not any(c.get("failed") or c.get("not_attempted") or c.get("held", 0) >
                   reference.views[v].get("held", 0) for v, c in run.out["endpoints"].items()):
            break
    else:
        pytest.fail(f"rate {rate}: still failing rows after {max_runs} runs: {runs[-1].out}")
    keys = sb.keys()
    for endpoint, expected in reference.keys.items():
        assert keys[endpoint] == expected, (rate, endpoint, keys[endpoint] - expected, expected - keys[endpoint])
    assert ledger_keys(project) == reference.ledger
    faults = {k: v for k, v in sb.tap.answers.items() if k != 200}
    return {"rate": rate, "seed": seed, "runs": len(runs), "calls": sum(sb.tap.seen.values()),
            "faults": faults}


@pytest.mark.parametrize("rate,seed", [(0.10, 1), (0.30, 2)])
def test_faults_at_a_rate_end_with_omie_exact(rate, seed, project, tmp_path, reference):
    with served_sandbox(faults=spec(rate), seed=seed) as sb:
        project.aim(sb.url, tmp_path / "results.duckdb", timeout=1.0, attempts=4)
        figures = converge(project, sb, reference, rate, seed)
    assert sum(figures["faults"].values()) > 0, figures       # faults were injected
    FIGURES.append(figures)
    print(figures)


@pytest.mark.long
@pytest.mark.parametrize("rate,seed", [(0.50, 3), (0.20, 4)])
def test_faults_long(rate, seed, project, tmp_path, reference):
    with served_sandbox(faults=spec(rate), seed=seed) as sb:
        project.aim(sb.url, tmp_path / "results.duckdb", timeout=1.0, attempts=4)
        FIGURES.append(converge(project, sb, reference, rate, seed))
        print(FIGURES[-1])
