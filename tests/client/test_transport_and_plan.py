"""The HTTP side (URL, body, transport, no secret in errors) and the plan's arithmetic."""
from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from omie_push.catalog import get
from omie_push.client import combine, estimate
from omie_push.client.plan import nominal_latency
from omie_push.client.transport import make_client, post, url_for
from omie_push.client.types import Budgets

from .conftest import SECRET, fast_settings


def test_the_url_keeps_the_trailing_slash():
    s = fast_settings(base_url="https://app.omie.com.br/api/v1/")
    assert url_for(s, "geral/clientes/") == "https://app.omie.com.br/api/v1/geral/clientes/"


def test_the_body_has_omies_four_keys_and_param_is_a_list():
    seen = {}

    def handler(request):
        seen.update(json.loads(request.content), url=str(request.url),
                    ctype=request.headers["content-type"])
        return httpx.Response(200, json={"codigo_status": "0"})

    async def go():
        s = fast_settings()
        async with make_client(s, httpx.MockTransport(handler)) as client:
            return await post(client, s, "geral/clientes/", "UpsertCliente", {"razao_social": "Ação"})

    answer = asyncio.run(go())
    assert answer.status_code == 200 and answer.body == {"codigo_status": "0"}
    assert seen["call"] == "UpsertCliente" and seen["param"] == [{"razao_social": "Ação"}]
    assert seen["app_key"] == "k-123" and seen["app_secret"] == SECRET
    assert seen["url"].endswith("/api/v1/geral/clientes/") and seen["ctype"] == "application/json"


def test_a_transport_failure_comes_back_without_the_request():
    def handler(request):
        raise httpx.ReadTimeout("read timed out", request=request)

    async def go():
        s = fast_settings()
        async with make_client(s, httpx.MockTransport(handler)) as client:
            return await post(client, s, "geral/clientes/", "UpsertCliente", {})

    answer = asyncio.run(go())
    assert isinstance(answer.error, httpx.ReadTimeout)
    with pytest.raises(RuntimeError):
        answer.error.request          # no request, so no body with the secret
    assert SECRET not in repr(answer.error) + str(answer.error)


def test_timeouts_come_from_the_settings():
    client = make_client(fast_settings(timeout_seconds=7.5), httpx.MockTransport(lambda r: None))
    assert client.timeout.read == 7.5 and client.timeout.connect == 7.5
    asyncio.run(client.aclose())


def test_the_plan_one_write_at_a_time_at_the_budget():
    s = fast_settings(budgets=Budgets(), nominal_latency_seconds=0.1)
    plan = estimate(get("clientes"), 2400, s)
    assert plan.calls == 2400 and plan.call == "UpsertCliente"
    assert plan.seconds == pytest.approx(2399 * 60 / (240 * 0.98) + 0.1)
    slow = estimate(get("clientes"), 100, fast_settings(budgets=Budgets(), nominal_latency_seconds=0.5))
    assert slow.interval == 0.5                       # latency-bound: one write in flight


def test_the_plan_of_receivables_counts_lots():
    s = fast_settings(budgets=Budgets(), lot_size=50, nominal_latency_seconds=0.1)
    plan = estimate(get("contas_receber"), 2000, s)
    assert (plan.calls, plan.call) == (40, "UpsertContaReceberPorLote")
    singles = estimate(get("contas_receber"), 2000, fast_settings(budgets=Budgets(), lot_size=0))
    assert (singles.calls, singles.call) == (2000, "UpsertContaReceber")
    assert estimate(get("contas_pagar"), 10, s).calls == 10     # no per-record lot: one by one


def test_endpoints_sent_together_share_the_ip_budget():
    s = fast_settings(budgets=Budgets(), nominal_latency_seconds=0.05)
    five = [estimate(get(n), 1000, s) for n in ("clientes", "projetos", "vendedores", "contas_pagar", "contratos")]
    together = combine(five, s)
    assert together.calls == 5000
    assert together.seconds == pytest.approx(5000 * 60 / (960 * 0.98))
    assert together.seconds > max(e.seconds for e in five)


def test_nominal_latency_from_the_settings():
    assert nominal_latency(fast_settings(nominal_latency_seconds=0.2)) == 0.2
