"""960 calls/min per client IP and 240/min per app key + method → HTTP 429 (omie-api.md §1.4, §2)."""
import pytest

pytestmark = pytest.mark.anyio


def _is_429(response):
    body = response.json()
    return (response.status_code == 429 and body["error_code"] == 429
            and body["error_message"] == "Too Many Requests" and body["error_hash"])


async def _burst(h, client, call, n, start=0, app_key="111"):
    return [await h.call(call, {"n": start + i}, app_key=app_key, client=client) for i in range(n)]


async def test_240_per_minute_per_key_and_method_then_429(harness):
    h = harness()
    async with h.client() as client:
        answers = await _burst(h, client, "UpsertCliente", 240)
        assert all(r.status_code == 200 for r in answers)
        refused = await h.call("UpsertCliente", {"n": 999}, client=client)
        assert _is_429(refused)
        assert "retry-after" not in refused.headers      # Omie sends no rate headers (§7 q7)
        # another method, and the same method on another key, have their own budget
        assert (await h.call("UpsertProjeto", {"n": 1}, client=client)).status_code == 200
        assert (await h.call("UpsertCliente", {"n": 1}, app_key="222", client=client)).status_code == 200
    assert len(h.omie.calls) == 242                      # the refused call never reached Omie


async def test_the_window_slides_with_the_clock(harness):
    h = harness()
    async with h.client() as client:
        await _burst(h, client, "UpsertCliente", 120)
        h.clock.advance(30)
        await _burst(h, client, "UpsertCliente", 120, start=120)
        assert (await h.call("UpsertCliente", {"n": -1}, client=client)).status_code == 429
        h.clock.advance(30.5)           # the first 120 left the window, the last 120 did not
        await _burst(h, client, "UpsertCliente", 120, start=240)
        assert (await h.call("UpsertCliente", {"n": -2}, client=client)).status_code == 429


async def test_960_per_minute_per_ip(harness):
    h = harness()
    async with h.client() as client:
        for key in ("k1", "k2", "k3", "k4"):
            answers = await _burst(h, client, "UpsertCliente", 240, app_key=key)
            assert all(r.status_code == 200 for r in answers)
        assert _is_429(await h.call("UpsertCliente", {"n": 0}, app_key="k5", client=client))
    # another client IP is not affected
    assert (await h.call("UpsertCliente", {"n": 0}, app_key="k5", ip="10.0.0.2")).status_code == 200


async def test_scale_multiplies_the_rates(harness):
    h = harness(limits="scale=2")
    async with h.client() as client:
        answers = await _burst(h, client, "UpsertCliente", 480)
        assert all(r.status_code == 200 for r in answers)
        assert (await h.call("UpsertCliente", {"n": -1}, client=client)).status_code == 429


async def test_off_disables_every_limit(harness):
    h = harness(limits="off")
    async with h.client() as client:
        answers = await _burst(h, client, "UpsertCliente", 300)
        assert all(r.status_code == 200 for r in answers)
        again = [await h.call("ConsultarCliente", {"n": 1}, client=client) for _ in range(3)]
        assert all(r.status_code == 200 for r in again)   # no REDUNDANT either


async def test_outcome_header_never_reaches_the_client(harness):
    h = harness()
    response = await h.call("UpsertCliente", {"n": 1})
    assert response.status_code == 200 and "x-sandbox-outcome" not in response.headers


async def test_a_body_that_is_no_call_goes_to_the_app_untouched(harness):
    h = harness(misuse_errors=2)
    async with h.client() as client:
        answers = [await client.post("/api/v1/geral/clientes/", content=b"not json {")
                   for _ in range(5)]
    # the app's own fault every time: no REDUNDANT, no misuse block, and no outcome header
    assert [r.json()["faultstring"] for r in answers] == ["Invalid JSON Object"] * 5
    assert all("x-sandbox-outcome" not in r.headers for r in answers)


def test_expired_deadlines_are_swept_and_sweeps_stay_rare():
    from omie_push.sandbox.traffic.windows import Deadlines
    deadlines = Deadlines()
    for i in range(30_000):               # 30 000 live windows: no sweep per insert
        deadlines.set(i, 100.0 + i, now=0.0)
    assert len(deadlines._until) == 30_000 and deadlines._sweep_at >= 20_000
    for i in range(30_000, 70_000):       # the first ones expire as time passes
        deadlines.set(i, 200_000.0, now=50_000.0)
    assert len(deadlines._until) < 70_000
    assert deadlines.remaining(69_999, 50_000.0) == 150_000.0
