"""The check before a company's first write (ListarEmpresas) and the per-IP budget the
companies of one push share: unit tests on the fake Omie (transport level)."""
from __future__ import annotations

import asyncio

import httpx
import pytest

from omie_push import catalog
from omie_push.client import Item, TargetSettings, make_sender
from omie_push.client.pacing import ip_budget
from omie_push.errors import FatalError
from omie_push.push.empresas import CheckedSender, identify

from fake_omie import FakeOmie


def settings(key="k-1"):
    return TargetSettings(name="t", base_url="https://omie.test/api/v1", app_key=key, app_secret="s-1",
                          max_attempts=1)


def send_one(omie: FakeOmie, expected_cnpj):
    seen, results = [], []

    async def go():
        inner = make_sender(settings(), transport=httpx.MockTransport(omie))
        sender = CheckedSender(inner, "padaria", expected_cnpj, lambda *a: seen.append(a))
        item = Item("C-1", {"codigo_cliente_integracao": "C-1", "razao_social": "A", "cnpj_cpf": ""}, "h")
        try:
            await sender.send(catalog.get("clientes"), [item], results.append)
        finally:
            await sender.aclose()

    return asyncio.run(go()), seen, results


def test_a_key_of_another_cnpj_stops_the_company_before_any_write():
    omie = FakeOmie()                                   # its company: CNPJ 11.444.777/0001-61
    with pytest.raises(FatalError, match="belongs to Fake Omie Ltda"):
        send_one(omie, "11222333000181")
    assert (omie.preflights, omie.made) == (1, [])


def test_the_right_cnpj_writes_after_one_check():
    omie = FakeOmie()
    _, seen, results = send_one(omie, "11444777000161")
    assert omie.preflights == 1 and [c for c, _ in omie.made] == ["UpsertCliente"]
    assert seen[0][1].razao_social == "Fake Omie Ltda" and seen[0][2] is None
    assert [r.status for r in results] == ["sent"]


def test_identify_answers_the_keys_company():
    found = identify(settings(), transport=httpx.MockTransport(FakeOmie()))
    assert (found.razao_social, found.cnpj) == ("Fake Omie Ltda", "11.444.777/0001-61")


def test_senders_of_one_push_share_the_per_ip_limiter():
    async def lanes():
        ip = ip_budget(960)
        a = make_sender(settings("k-1"), transport=httpx.MockTransport(FakeOmie()), ip_limiter=ip)
        b = make_sender(settings("k-2"), transport=httpx.MockTransport(FakeOmie()), ip_limiter=ip)
        alone = make_sender(settings("k-3"), transport=httpx.MockTransport(FakeOmie()))
        for s in (a, b, alone):
            s.start()
        out = (a._lanes["UpsertCliente"]._ip_limiter, b._lanes["UpsertCliente"]._ip_limiter,
               alone._lanes["UpsertCliente"]._ip_limiter, ip)
        for s in (a, b, alone):
            await s.aclose()
        return out

    first, second, alone, ip = asyncio.run(lanes())
    assert first is second is ip and alone is not ip
