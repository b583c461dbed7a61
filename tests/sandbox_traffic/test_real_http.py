"""The traffic layer over a real socket (uvicorn): drops look like drops, slow answers time out,
the outcome header is stripped and Omie's refusals arrive as Omie sends them."""
import httpx
import pytest

from .conftest import URL, Harness, omie_body

pytestmark = pytest.mark.e2e


def test_dropped_connection_is_a_protocol_error_over_http(served):
    base = served(Harness(faults="drop=1").app)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        httpx.post(base + URL, json=omie_body("UpsertCliente", {"n": 1}))


def test_drop_after_commit_over_http_keeps_the_write(served):
    h = Harness(faults="drop_after_commit=1")
    base = served(h.app)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        httpx.post(base + URL, json=omie_body("UpsertCliente", {"n": 1}))
    assert h.omie.calls == [("UpsertCliente", {"n": 1})]


def test_slow_answer_times_out_the_client_over_http(served):
    base = served(Harness(faults="slow=1@1").app)
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(base + URL, json=omie_body("UpsertCliente", {"n": 1}), timeout=0.2)


def test_answers_and_refusals_over_http(served):
    h = Harness()
    base = served(h.app)
    with httpx.Client(base_url=base) as client:
        ok = client.post(URL, json=omie_body("ListarClientes", {"pagina": 1}))
        assert ok.status_code == 200 and "x-sandbox-outcome" not in ok.headers
        again = client.post(URL, json=omie_body("ListarClientes", {"pagina": 1}))
        assert again.status_code == 500
        assert again.json()["faultcode"] == "SOAP-ENV:Client-6"
        assert b"Aguarde 60 segundos" in again.content
        h.clock.advance(61)
        assert client.post(URL, json=omie_body("ListarClientes", {"pagina": 1})).status_code == 200


def test_client_ip_comes_from_the_socket(served):
    h = Harness(per_ip_per_minute=2)
    base = served(h.app)
    with httpx.Client(base_url=base) as client:
        codes = [client.post(URL, json=omie_body("UpsertCliente", {"n": i}, app_key=str(i))).status_code
                 for i in range(3)]
    assert codes == [200, 200, 429]
    assert h.app.limits.per_ip.count("127.0.0.1", h.clock.now()) == 2
