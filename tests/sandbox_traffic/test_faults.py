"""Latency and injected faults, reproducible from the seed (omie-api.md §1.4, §1.5, §5, §6)."""
import asyncio
import time

import httpx
import pytest

from omie_push.sandbox.traffic.faults import FaultInjector
from omie_push.sandbox.traffic.request import CallInfo

pytestmark = pytest.mark.anyio


async def _pattern(h, n=40, order=None):
    """Status per request index (or the exception name), sending the requests in `order`."""
    seen = {}
    async with h.client() as client:
        for i in order or range(n):
            try:
                seen[i] = (await h.call("UpsertCliente", {"n": i}, client=client)).status_code
            except httpx.RemoteProtocolError:
                seen[i] = "dropped"
    return [seen[i] for i in range(n)]


async def test_broken_response_from_application_server(harness):
    h = harness(faults="broken=1")
    response = await h.call("ListarClientes", {"pagina": 1})
    assert response.status_code == 500
    assert response.json() == {"faultstring": "SOAP-ERROR: Broken response from Application Server (BG)",
                               "faultcode": "SOAP-ENV:Server"}
    assert h.omie.calls == []


@pytest.mark.parametrize("status,title", [(502, "502 Bad Gateway"),
                                          (503, "503 Service Temporarily Unavailable"),
                                          (504, "504 Gateway Time-out")])
async def test_html_gateway_pages(harness, status, title):
    h = harness(faults=f"html{status}=1")
    response = await h.call("UpsertCliente", {"n": 1})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"<title>{title}</title>" in response.text
    with pytest.raises(ValueError):
        response.json()
    assert h.omie.calls == []


async def test_drop_before_the_call_ran_raises_remote_protocol_error_in_process(harness):
    h = harness(faults="drop=1")
    with pytest.raises(httpx.RemoteProtocolError):
        await h.call("UpsertCliente", {"n": 1})
    assert h.omie.calls == []


async def test_drop_after_commit_loses_the_answer_but_keeps_the_write(harness):
    h = harness(faults="drop_after_commit=1")
    with pytest.raises(httpx.RemoteProtocolError):
        await h.call("UpsertCliente", {"n": 1})
    assert h.omie.calls == [("UpsertCliente", {"n": 1})]
    # reads and refused writes are answered as they are
    assert (await h.call("ListarClientes", {"pagina": 1})).status_code == 200
    assert (await h.call("UpsertCliente", {"outcome": "error"})).status_code == 500


async def test_redundant_after_commit_then_a_blind_retry_duplicates(harness):
    h = harness(faults="redundant_after_commit=1")
    async with h.client() as client:
        first = await h.call("IncluirCategoria", {"descricao": "Frete"}, client=client)
        assert first.json()["faultcode"] == "SOAP-ENV:Client-6" and "Aguarde 60 segundos" in first.text
        assert len(h.omie.calls) == 1                     # committed although the answer says no
        retry = await h.call("IncluirCategoria", {"descricao": "Frete"}, client=client)
        assert retry.json()["faultcode"] == "SOAP-ENV:Client-6"
        h.clock.advance(61)
        await h.call("IncluirCategoria", {"descricao": "Frete"}, client=client)
        assert len(h.omie.calls) == 2                     # the blind retry created a duplicate


async def test_slow_answer_outlasts_a_client_timeout_and_still_commits(harness):
    h = harness(faults="slow=1@0.4")
    async with h.client() as client:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(h.call("UpsertCliente", {"n": 1}, client=client), 0.1)
        assert h.omie.calls == []
        started = time.monotonic()
        assert (await h.call("UpsertCliente", {"n": 2}, client=client)).status_code == 200
        assert time.monotonic() - started >= 0.35
        assert ("UpsertCliente", {"n": 2}) in h.omie.calls


async def test_slow_after_commit_commits_first_then_holds_the_answer(harness):
    h = harness(faults="slow_after_commit=1@0.4")
    async with h.client() as client:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(h.call("UpsertCliente", {"n": 1}, client=client), 0.1)
        assert h.omie.calls == [("UpsertCliente", {"n": 1})]     # committed before the wait
        started = time.monotonic()
        assert (await h.call("UpsertCliente", {"n": 2}, client=client)).status_code == 200
        assert time.monotonic() - started >= 0.35
        read = time.monotonic()
        assert (await h.call("ListarClientes", {"pagina": 1}, client=client)).status_code == 200
        assert time.monotonic() - read < 0.3                     # reads are not held


async def test_429_bursts_cover_every_call_of_the_key_for_their_duration(harness):
    h = harness(faults="burst429=0.5@5", limits="off", seed=3)
    async with h.client() as client:
        for i in range(50):
            if (await h.call("UpsertCliente", {"n": i}, client=client)).status_code == 429:
                break
        else:
            raise AssertionError("no burst started")
        inside = [(await h.call("ListarClientes", {"pagina": j}, client=client)).status_code
                  for j in range(10)]
        assert inside == [429] * 10
        assert (await h.call("ListarClientes", {"pagina": 1}, app_key="other",
                             client=client)).status_code in (200, 429)
        h.clock.advance(5.1)
        after = [(await h.call("ListarClientes", {"pagina": 100 + j}, client=client)).status_code
                 for j in range(10)]
        assert 200 in after


async def test_faults_are_reproducible_from_the_seed_whatever_the_order(harness):
    spec = "broken=0.2,drop=0.1,html503=0.1"
    first = await _pattern(harness(faults=spec, seed=7, limits="off"))
    again = await _pattern(harness(faults=spec, seed=7, limits="off"), order=range(39, -1, -1))
    other = await _pattern(harness(faults=spec, seed=8, limits="off"))
    assert first == again
    assert first != other
    faulted = sum(status != 200 for status in first)
    assert 5 <= faulted <= 28          # about 40% of 40


async def test_faults_apply_with_limits_off_and_never_count_towards_the_block(harness):
    h = harness(faults="broken=0.5", seed=1)
    statuses = await _pattern(h, n=40)
    assert statuses.count(500) >= 10 and 425 not in statuses
    off = harness(faults="broken=1", limits="off")
    assert (await off.call("UpsertCliente", {"n": 1})).status_code == 500


async def test_a_call_lost_to_an_injected_fault_opens_no_redundant_window(harness):
    h = harness(faults="broken=0.5", seed=0)
    async with h.client() as client:
        answers = [await h.call("ConsultarCliente", {"codigo": 5}, client=client) for _ in range(6)]
    codes = [r.status_code for r in answers]
    first_ok = codes.index(200)
    assert first_ok >= 1          # (seed 0) the first attempt was lost, a later one got through
    assert all(r.json()["faultcode"] == "SOAP-ENV:Server" for r in answers[:first_ok])
    assert all(r.json()["faultcode"] == "SOAP-ENV:Client-6" for r in answers[first_ok + 1:])


async def test_latency_per_call_is_slept(harness):
    h = harness(latency_ms="UpsertCliente=150,default=0", limits="off")
    async with h.client() as client:
        started = time.monotonic()
        await h.call("UpsertCliente", {"n": 1}, client=client)
        slow = time.monotonic() - started
        started = time.monotonic()
        await h.call("ListarClientes", {"n": 1}, client=client)
        fast = time.monotonic() - started
    assert slow >= 0.15 and fast < 0.1


def test_latency_draws_are_reproducible_from_the_seed(harness):
    def delays(seed):
        injector = FaultInjector(harness(latency_ms="20-80", seed=seed).config)
        return [injector.draw(CallInfo("ip", "k", "UpsertCliente", str(i))).latency_s
                for i in range(20)]
    assert delays(1) == delays(1) != delays(2)
    assert all(0.02 <= d <= 0.08 for d in delays(1)) and len(set(delays(1))) > 10
