"""In flight: at most 4 reads per key+method (5th → 429), one write at a time (2nd → Client-1880),
and an identical call still in flight → Client-1880 (omie-api.md §2, §5 item 4, §6)."""
import asyncio

import pytest

pytestmark = pytest.mark.anyio

TEXT_1880 = ("ERROR: Já existe uma requisição desse método sendo executada e você pode tentar "
             "novamente em alguns instantes. (1)")


async def _until(predicate):
    for _ in range(500):
        if predicate():
            return
        await asyncio.sleep(0.002)
    raise AssertionError("the held calls never reached the app")


async def test_a_second_concurrent_write_gets_1880(harness):
    h = harness()
    async with h.client() as client:
        first = asyncio.create_task(h.call("UpsertCliente", {"hold": 1, "n": 1}, client=client))
        await _until(lambda: h.omie.entered == 1)
        second = await h.call("UpsertCliente", {"n": 2}, client=client)
        assert second.status_code == 500
        assert second.json() == {"faultstring": TEXT_1880, "faultcode": "SOAP-ENV:Client-1880"}
        assert b"J\\u00e1 existe uma requisi\\u00e7\\u00e3o" in second.content   # escaped as Omie does
        other_method = await h.call("UpsertProjeto", {"n": 2}, client=client)
        assert other_method.status_code == 200
        h.omie.gate.set()
        assert (await first).status_code == 200
        # once the first write answered, the next one passes
        assert (await h.call("UpsertCliente", {"n": 3}, client=client)).status_code == 200


async def test_four_reads_in_flight_then_429(harness):
    h = harness()
    async with h.client() as client:
        held = [asyncio.create_task(h.call("ListarClientes", {"hold": 1, "pagina": i}, client=client))
                for i in range(4)]
        await _until(lambda: h.omie.entered == 4)
        fifth = await h.call("ListarClientes", {"pagina": 9}, client=client)
        assert fifth.status_code == 429 and fifth.json()["error_code"] == 429
        h.omie.gate.set()
        assert [r.status_code for r in await asyncio.gather(*held)] == [200] * 4
        assert (await h.call("ListarClientes", {"pagina": 10}, client=client)).status_code == 200


async def test_an_identical_read_in_flight_gets_1880(harness):
    h = harness()
    async with h.client() as client:
        first = asyncio.create_task(h.call("ListarClientes", {"hold": 1, "pagina": 1}, client=client))
        await _until(lambda: h.omie.entered == 1)
        twin = await asyncio.wait_for(
            h.call("ListarClientes", {"hold": 1, "pagina": 1}, client=client), 5)
        assert twin.json()["faultcode"] == "SOAP-ENV:Client-1880"
        h.omie.gate.set()
        await first


async def test_no_concurrency_rule_when_limits_are_off(harness):
    h = harness(limits="off")
    async with h.client() as client:
        held = [asyncio.create_task(h.call("UpsertCliente", {"hold": 1, "n": i}, client=client))
                for i in range(3)]
        await _until(lambda: h.omie.entered == 3)
        h.omie.gate.set()
        assert [r.status_code for r in await asyncio.gather(*held)] == [200] * 3
