"""The same (app_key, call, param) within 60 s → Client-6 REDUNDANT "Aguarde N segundos", each hit
restarting the window (omie-api.md §2, §5 item 3; §7 q5 settled in docs/sandbox-traffic.md)."""
import pytest

pytestmark = pytest.mark.anyio


def _wait_named(response):
    body = response.json()
    assert response.status_code == 500 and body["faultcode"] == "SOAP-ENV:Client-6"
    prefix, suffix = "ERROR: Consumo redundante detectado. Aguarde ", \
        " segundos para tentar novamente (REDUNDANT)."
    text = body["faultstring"]
    assert text.startswith(prefix) and text.endswith(suffix), text
    return int(text[len(prefix):-len(suffix)])


async def test_the_same_read_within_60_s_is_redundant_with_the_remaining_seconds(harness):
    h = harness()
    async with h.client() as client:
        assert (await h.call("ConsultarCliente", {"codigo_cliente_omie": 7}, client=client)).status_code == 200
        h.clock.advance(44)
        assert _wait_named(await h.call("ConsultarCliente", {"codigo_cliente_omie": 7}, client=client)) == 16
        # a different param, method or key is another request
        assert (await h.call("ConsultarCliente", {"codigo_cliente_omie": 8}, client=client)).status_code == 200
        assert (await h.call("ConsultarCliente", {"codigo_cliente_omie": 7}, app_key="9",
                             client=client)).status_code == 200
    assert len(h.omie.calls) == 3


async def test_each_redundant_hit_restarts_the_window(harness):
    h = harness()
    async with h.client() as client:
        await h.call("ListarClientes", {"pagina": 1}, client=client)
        h.clock.advance(50)
        assert _wait_named(await h.call("ListarClientes", {"pagina": 1}, client=client)) == 10
        h.clock.advance(11)     # 61 s after the first call, but only 11 s after the hit
        assert _wait_named(await h.call("ListarClientes", {"pagina": 1}, client=client)) == 49
        h.clock.advance(60)     # a full minute of silence lets it through
        assert (await h.call("ListarClientes", {"pagina": 1}, client=client)).status_code == 200


async def test_writes_are_redundant_too_and_key_order_does_not_matter(harness):
    h = harness()
    async with h.client() as client:
        await h.call("UpsertCliente", {"codigo_cliente_integracao": "A", "razao_social": "X"}, client=client)
        h.clock.advance(1)
        again = await h.call("UpsertCliente", {"razao_social": "X", "codigo_cliente_integracao": "A"},
                             client=client)
        assert _wait_named(again) == 59
    assert len(h.omie.calls) == 1        # the repeated write was not applied


async def test_an_errored_answer_also_opens_the_window(harness):
    h = harness()
    async with h.client() as client:
        assert (await h.call("ConsultarCliente", {"outcome": "error"}, client=client)).status_code == 500
        assert _wait_named(await h.call("ConsultarCliente", {"outcome": "error"}, client=client)) == 60
