"""The 10th errored answer on a key+method within the window blocks the method 30 min (HTTP 425
MISUSE_API_PROCESS), each further call extending it (omie-api.md §2, §5 item 5; §7 q6)."""
import asyncio

import pytest

pytestmark = pytest.mark.anyio


def _block_seconds(response):
    body = response.json()
    assert response.status_code == 425 and body["faultcode"] == "MISUSE_API_PROCESS"
    prefix, suffix = "API bloqueada por consumo indevido. Tente novamente em ", " segundos."
    assert body["faultstring"].startswith(prefix) and body["faultstring"].endswith(suffix)
    return int(body["faultstring"][len(prefix):-len(suffix)])


async def _errors(h, client, n, call="ConsultarCliente", start=0):
    for i in range(start, start + n):
        response = await h.call(call, {"outcome": "error", "codigo_cliente_omie": i}, client=client)
        assert response.status_code == 500


async def test_the_10th_error_blocks_the_method_for_30_minutes(harness):
    h = harness()
    async with h.client() as client:
        await _errors(h, client, 9)
        assert (await h.call("ConsultarCliente", {"codigo_cliente_omie": 100}, client=client)).status_code == 200
        await _errors(h, client, 1, start=9)          # the 10th error is answered as itself
        assert _block_seconds(await h.call("ConsultarCliente", {"codigo_cliente_omie": 101},
                                           client=client)) == 1800
        # only that method of that key is blocked
        assert (await h.call("ListarClientes", {"pagina": 1}, client=client)).status_code == 200
        assert (await h.call("ConsultarCliente", {"codigo_cliente_omie": 101}, app_key="2",
                             client=client)).status_code == 200
    assert [p.get("codigo_cliente_omie") for c, p in h.omie.calls if c == "ConsultarCliente"
            and not p.get("outcome")] == [100, 101]   # 101 reached Omie only on key "2"


async def test_each_call_while_blocked_extends_the_block(harness):
    h = harness()
    async with h.client() as client:
        await _errors(h, client, 10)
        h.clock.advance(1000)
        assert _block_seconds(await h.call("ConsultarCliente", {"n": 1}, client=client)) == 800
        h.clock.advance(1000)       # past the first 30 minutes, but the call above restarted them
        assert _block_seconds(await h.call("ConsultarCliente", {"n": 2}, client=client)) == 800
        h.clock.advance(1801)
        assert (await h.call("ConsultarCliente", {"n": 3}, client=client)).status_code == 200


async def test_errors_older_than_the_window_do_not_count(harness):
    h = harness()
    async with h.client() as client:
        await _errors(h, client, 9)
        h.clock.advance(1801)
        await _errors(h, client, 1, start=9)
        assert (await h.call("ConsultarCliente", {"n": 1}, client=client)).status_code == 200


async def test_redundant_and_1880_refusals_count_but_429s_do_not(harness):
    h = harness(per_method_per_minute=3)
    async with h.client() as client:
        # 429s: 3 allowed per minute, the rest refused — 20 refusals block nothing
        for minute in range(3):
            for i in range(10):
                await h.call("ListarClientes", {"pagina": minute * 10 + i}, client=client)
            h.clock.advance(60)
        assert (await h.call("ListarClientes", {"pagina": 99}, client=client)).status_code == 200


async def test_redundant_refusals_count(harness):
    h = harness()
    async with h.client() as client:
        await h.call("ConsultarCliente", {"x": 1}, client=client)
        for _ in range(10):
            assert (await h.call("ConsultarCliente", {"x": 1}, client=client)).json()["faultcode"] \
                == "SOAP-ENV:Client-6"
        assert _block_seconds(await h.call("ConsultarCliente", {"x": 2}, client=client)) == 1800


async def test_1880_refusals_count(harness):
    h = harness()
    async with h.client() as client:
        await _errors(h, client, 9, call="UpsertCliente")
        held = asyncio.create_task(h.call("UpsertCliente", {"hold": 1}, client=client))
        while h.omie.entered < 10:
            await asyncio.sleep(0.002)
        refused = await h.call("UpsertCliente", {"n": 1}, client=client)
        assert refused.json()["faultcode"] == "SOAP-ENV:Client-1880"     # the 10th error
        h.omie.gate.set()
        assert (await held).status_code == 200
        assert _block_seconds(await h.call("UpsertCliente", {"n": 2}, client=client)) == 1800


async def test_no_block_when_limits_are_off(harness):
    h = harness(limits="off")
    async with h.client() as client:
        await _errors(h, client, 15)
        assert (await h.call("ConsultarCliente", {"n": 1}, client=client)).status_code == 200
