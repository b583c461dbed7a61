"""Lanes, limiters and the redundant-window memory, on real (fast) time."""
from __future__ import annotations

import asyncio
import bisect
import time

import pytest

from omie_push.client.pacing import HEADROOM, Lanes, RecentRequests, is_read, limiter, spacing_seconds
from omie_push.client.types import Budgets

from .conftest import VirtualClock


def busiest(times, window):
    times = sorted(times)
    return max(bisect.bisect_left(times, t + window) - i for i, t in enumerate(times))


def run_calls(budgets, calls, duration=0.0):
    """Each (call name) in `calls` takes a turn of its lane and holds it `duration` seconds;
    returns {call: [start times]} and the peak in flight per call."""
    starts, flying, peak = {}, {}, {}

    async def one(lanes, call):
        async with lanes[call].turn():
            starts.setdefault(call, []).append(time.monotonic())
            flying[call] = flying.get(call, 0) + 1
            peak[call] = max(peak.get(call, 0), flying[call])
            await asyncio.sleep(duration)
            flying[call] -= 1

    async def main():
        lanes = Lanes(budgets)
        await asyncio.gather(*(one(lanes, c) for c in calls))

    asyncio.run(main())
    return starts, peak


def test_reads_and_writes():
    assert is_read("ConsultarCliente") and is_read("ListarCategorias")
    assert not is_read("UpsertCliente") and not is_read("AssociarCodIntCliente")


def test_writes_go_one_at_a_time_and_reads_four():
    budgets = Budgets(calls_per_minute_per_method=600_000, calls_per_minute_per_ip=600_000)
    _, peak = run_calls(budgets, ["UpsertCliente"] * 12 + ["ConsultarCliente"] * 12, duration=0.02)
    assert peak == {"UpsertCliente": 1, "ConsultarCliente": 4}


def test_a_method_never_exceeds_its_budget_in_any_window():
    # 3,000 a minute = 50 a second: in any 1.2 s window (1/50 of a minute scaled) at most
    # budget/50 + the bucket's depth; measured over 2 s of calls.
    budgets = Budgets(calls_per_minute_per_method=3000, calls_per_minute_per_ip=1_000_000)
    starts, _ = run_calls(budgets, ["UpsertCliente"] * 100)
    times = starts["UpsertCliente"]
    span = times[-1] - times[0]
    rate = (len(times) - 1) / span * 60
    depth = max(1, int(3000 * 0.01))
    assert rate <= 3000 * HEADROOM * 1.02 + depth * 60 / span
    assert rate >= 3000 * HEADROOM * 0.9                         # and it does go at the pace
    one_second = busiest(times, 1.0)
    assert one_second <= 3000 / 60 * HEADROOM + depth + 1


def test_the_ip_budget_binds_several_methods_together():
    budgets = Budgets(calls_per_minute_per_method=60_000, calls_per_minute_per_ip=3000)
    calls = ["UpsertCliente", "UpsertProjeto", "UpsertVendedor", "UpsertContaPagar"] * 25
    starts, _ = run_calls(budgets, calls)
    times = sorted(t for ts in starts.values() for t in ts)[int(3000 * 0.01):]  # after the bucket's depth
    rate = (len(times) - 1) / (times[-1] - times[0]) * 60
    assert 3000 * HEADROOM * 0.85 <= rate <= 3000 * HEADROOM * 1.05


@pytest.mark.parametrize("budget", [60, 240, 960, 2400])
def test_a_shallow_bucket_keeps_any_minute_under_the_budget(budget):
    # the worst case of a leaky bucket: full depth at once, then the drain rate for a minute
    lim = limiter(budget)
    assert lim.max_rate + 60 / spacing_seconds(budget) < budget


def test_an_identical_request_waits_out_the_window():
    clock = VirtualClock()
    recent = RecentRequests(60.0, clock)
    fp = RecentRequests.fingerprint("UpsertCliente", {"codigo_cliente_integracao": "C1"})
    other = RecentRequests.fingerprint("UpsertCliente", {"codigo_cliente_integracao": "C2"})
    assert recent.wait_needed(fp) == 0
    recent.mark_sent(fp)
    assert 60.0 < recent.wait_needed(fp) <= 61.0          # the window plus a 1 s margin
    assert recent.wait_needed(other) == 0
    clock.offset += 61.5
    assert recent.wait_needed(fp) == 0


def test_the_fingerprint_ignores_key_order():
    a = RecentRequests.fingerprint("X", {"a": 1, "b": {"c": 2, "d": 3}})
    b = RecentRequests.fingerprint("X", {"b": {"d": 3, "c": 2}, "a": 1})
    assert a == b
