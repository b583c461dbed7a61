"""OmieSender against a fake Omie at the transport: results, lost answers, breaker, stops."""
from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from omie_push.catalog import get
from omie_push.client import make_sender
from omie_push.client.types import Item

from .conftest import SECRET, fast_settings
from fake_omie import BAD_KEY, BROKEN, BUSY, MISUSE, REDUNDANT, TOO_MANY, Scripted, required

CLIENTES, RECEBER, CATEGORIAS = get("clientes"), get("contas_receber"), get("categorias")


def client_items(n, prefix="C"):
    return [Item(f"{prefix}{i:04d}", {"codigo_cliente_integracao": f"{prefix}{i:04d}",
                                      "razao_social": f"Cliente {i}", "cnpj_cpf": ""}, f"h{i}")
            for i in range(n)]


def receivable_items(n):
    return [Item(f"R{i:04d}", {"codigo_lancamento_integracao": f"R{i:04d}",
                               "codigo_cliente_fornecedor": 1, "data_vencimento": "10/12/2026",
                               "valor_documento": 10.0 + i, "codigo_categoria": "1.01.02"}, f"h{i}")
            for i in range(n)]


def push(omie, clock, endpoint, items, **settings):
    """Send through a new sender; returns (results by key, the sender)."""
    results = {}

    async def run():
        sender = make_sender(fast_settings(**settings), transport=omie.transport(), clock=clock)
        async with sender:
            await sender.send(endpoint, items, lambda r: results.setdefault(r.key, []).append(r))
        return sender

    sender = asyncio.run(run())
    assert sorted(results) == sorted(i.key for i in items)       # every row accounted for
    assert all(len(v) == 1 for v in results.values())             # ... exactly once
    return {k: v[0] for k, v in results.items()}, sender


def identical_resends(omie, window=60.0):
    """Pairs of identical requests closer than the window (must be none)."""
    last, close = {}, []
    for t, call, param in omie.requests:
        if (call, param) in last and t - last[(call, param)] < window:
            close.append((call, param))
        last[(call, param)] = t
    return close


def test_rows_are_sent_with_their_omie_ids(omie, clock):
    results, sender = push(omie, clock, CLIENTES, client_items(20))
    assert {r.status for r in results.values()} == {"sent"}
    assert results["C0003"].omie_id == omie.clients["C0003"]["codigo_cliente_omie"]
    assert results["C0003"].response["codigo_status"] == "0"
    assert results["C0003"].attempts == 1
    assert len(omie.calls("UpsertCliente")) == 20
    assert omie.max_in_flight["UpsertCliente"] == 1            # writes one at a time
    assert sender.stopped_reason is None


@pytest.mark.parametrize("lost", [
    Scripted(500, BROKEN, commit=True),
    Scripted(500, REDUNDANT, commit=True),
    Scripted(502, "<html>502 Bad Gateway</html>", commit=True),
    Scripted(0, commit=True, raise_exc=httpx.ReadTimeout),
    Scripted(0, commit=True, raise_exc=httpx.RemoteProtocolError),
], ids=["broken", "redundant", "html502", "timeout", "dropped"])
def test_a_committed_write_whose_answer_was_lost_is_looked_up_not_resent(omie, clock, lost):
    omie.script("UpsertCliente", lost)
    results, sender = push(omie, clock, CLIENTES, client_items(3))
    assert len(omie.calls("UpsertCliente")) == 3              # no second write of the first row
    assert len(omie.calls("ConsultarCliente")) == 1
    first = results["C0000"]
    assert first.status == "sent" and first.omie_id == omie.clients["C0000"]["codigo_cliente_omie"]
    assert "found in Omie" in first.note
    assert len(omie.clients) == 3


def test_a_lost_write_that_did_not_land_is_sent_again_after_the_window(omie, clock):
    omie.script("UpsertCliente", Scripted(0, raise_exc=httpx.ReadTimeout))   # not committed
    results, _ = push(omie, clock, CLIENTES, client_items(2))
    assert len(omie.calls("ConsultarCliente")) == 1           # asked first: not there
    assert len(omie.calls("UpsertCliente")) == 3              # then sent again, once
    assert results["C0000"].status == "sent" and results["C0000"].attempts == 2
    assert identical_resends(omie) == []                      # never within 60 s
    assert len(omie.clients) == 2


def test_a_changed_record_found_after_a_lost_answer_is_sent_again(omie, clock):
    omie.clients["C0000"] = {"codigo_cliente_omie": 42, "codigo_cliente_integracao": "C0000",
                             "razao_social": "old name"}
    omie.clients_by_id[42] = omie.clients["C0000"]
    omie.script("UpsertCliente", Scripted(500, BROKEN))       # the update did not land
    results, _ = push(omie, clock, CLIENTES, client_items(1))
    assert len(omie.calls("UpsertCliente")) == 2
    assert results["C0000"].status == "sent" and results["C0000"].omie_id == 42
    assert omie.clients["C0000"]["razao_social"] == "Cliente 0"


def test_method_busy_and_429_are_retried_without_lookup(omie, clock):
    omie.script("UpsertCliente", Scripted(500, BUSY), Scripted(429, TOO_MANY))
    results, _ = push(omie, clock, CLIENTES, client_items(1))
    assert omie.calls("ConsultarCliente") == []
    assert results["C0000"].status == "sent" and results["C0000"].attempts == 3
    assert identical_resends(omie) == []
    assert max(clock.sleeps) >= 20.0                           # 429: a third of the window at least


def test_the_wait_omie_names_is_honoured_plus_one_second(omie, clock):
    omie.script("UpsertCliente", Scripted(500, REDUNDANT))    # not committed: lookup says absent
    push(omie, clock, CLIENTES, client_items(1))
    assert any(s >= 17.0 for s in clock.sleeps)


def test_a_row_refused_is_failed_with_omies_text(omie, clock):
    omie.refuse = lambda call, p: required("razao_social") if p.get("razao_social") == "Cliente 1" else None
    results, _ = push(omie, clock, CLIENTES, client_items(3))
    bad = results["C0001"]
    assert bad.status == "failed" and bad.attempts == 1
    assert bad.fault == "ERROR: O preenchimento da tag [razao_social] é obrigatório!"
    assert bad.faultcode == "SOAP-ENV:Client-102"
    assert results["C0002"].status == "sent"


def test_the_breaker_stops_an_endpoint_whose_rows_are_all_refused(omie, clock):
    omie.refuse = lambda call, p: required("cnpj_cpf")
    results, sender = push(omie, clock, CLIENTES, client_items(40), breaker_threshold=5)
    assert len(omie.calls("UpsertCliente")) == 5               # well before Omie's 10
    statuses = [r.status for r in results.values()]
    assert statuses.count("failed") == 5 and statuses.count("not_attempted") == 35
    skipped = next(r for r in results.values() if r.status == "not_attempted")
    assert "5 consecutive refusals on UpsertCliente" in skipped.note
    assert sender.stopped_reason is None                       # the rest of the run goes on


def test_scattered_refusals_stop_before_omies_count_of_ten(omie, clock):
    omie.refuse = lambda call, p: required("x") if int(p["codigo_cliente_integracao"][1:]) % 2 else None
    results, _ = push(omie, clock, CLIENTES, client_items(60), breaker_threshold=5)
    refused = [t for t, c, p in omie.requests if c == "UpsertCliente" and int(json.loads(p)["codigo_cliente_integracao"][1:]) % 2]
    assert len(refused) == 8
    assert "within 30 min" in next(r.note for r in results.values() if r.status == "not_attempted")


@pytest.mark.parametrize("status,body", [(425, MISUSE), (403, BAD_KEY)])
def test_425_and_403_stop_every_call_on_the_key(omie, clock, status, body):
    omie.script("UpsertCliente", Scripted(200), Scripted(status, body))
    results = {}

    async def run():
        sender = make_sender(fast_settings(), transport=omie.transport(), clock=clock)
        record = lambda r: results.__setitem__(r.key, r)
        await asyncio.gather(sender.send(CLIENTES, client_items(10), record),
                             sender.send(RECEBER, receivable_items(5), record))
        await sender.send(CATEGORIAS, [Item("1.01|X", {"categoria_superior": "1.01", "descricao": "X"}, "h")], record)
        await sender.aclose()
        return sender

    sender = asyncio.run(run())
    assert sender.stopped_reason and body["faultstring"] in sender.stopped_reason
    assert len(results) == 16
    assert results["C0001"].status == "failed" and results["C0001"].fault == body["faultstring"]
    skipped = [r for r in results.values() if r.status == "not_attempted"]
    assert {f"C{i:04d}" for i in range(2, 10)} <= {r.key for r in skipped}
    assert all("run stopped" in r.note for r in skipped)
    assert len(omie.calls("UpsertCliente")) == 2                # nothing after the stop
    assert results["1.01|X"].status == "not_attempted"
    assert omie.calls("IncluirCategoria") == []
    assert sender.fatal is not None


def test_a_duplicate_cnpj_is_linked_when_asked(omie, clock):
    omie.clients_by_id[5500000101] = {"codigo_cliente_omie": 5500000101, "cnpj_cpf": "11.222.333/0001-81",
                                      "_digits": "11222333000181", "razao_social": "Padaria"}
    item = Item("C-PAD", {"codigo_cliente_integracao": "C-PAD", "razao_social": "Padaria Pão Quente Ltda",
                          "cnpj_cpf": "11222333000181"}, "h")
    results, sender = push(omie, clock, CLIENTES, [item], associate_duplicates=True)
    r = results["C-PAD"]
    assert r.status == "sent" and r.omie_id == 5500000101
    assert r.note == "linked to existing client Id 5500000101 via AssociarCodIntCliente"
    assert json.loads(omie.calls("AssociarCodIntCliente")[0][1]) == {
        "codigo_cliente_omie": 5500000101, "codigo_cliente_integracao": "C-PAD"}
    assert identical_resends(omie) == []


def test_a_duplicate_cnpj_fails_by_default(omie, clock):
    omie.clients_by_id[5500000101] = {"codigo_cliente_omie": 5500000101, "cnpj_cpf": "11.222.333/0001-81",
                                      "_digits": "11222333000181"}
    item = Item("C-PAD", {"codigo_cliente_integracao": "C-PAD", "razao_social": "P", "cnpj_cpf": "11222333000181"}, "h")
    results, _ = push(omie, clock, CLIENTES, [item])
    assert results["C-PAD"].status == "failed" and "Id [5500000101]" in results["C-PAD"].fault
    assert omie.calls("AssociarCodIntCliente") == []


def test_receivables_go_in_lots_and_refused_records_alone(omie, clock):
    omie.refuse = lambda call, p: required("codigo_categoria") if p.get("codigo_lancamento_integracao") == "R0007" else None
    results, _ = push(omie, clock, RECEBER, receivable_items(120), lot_size=50)
    lots = omie.calls("UpsertContaReceberPorLote")
    assert [len(json.loads(p)["conta_receber_cadastro"]) for _, p in lots] == [50, 50, 20]
    assert len(omie.calls("UpsertContaReceber")) == 1          # only the refused record, alone
    assert results["R0007"].status == "failed"
    assert results["R0007"].fault == "ERROR: O preenchimento da tag [codigo_categoria] é obrigatório!"
    ok = results["R0100"]
    assert ok.status == "sent" and ok.omie_id == omie.receivables["R0100"]["codigo_lancamento_omie"]
    assert sum(r.status == "sent" for r in results.values()) == 119


def test_a_lot_whose_answer_was_lost_is_looked_up_record_by_record(omie, clock):
    omie.script("UpsertContaReceberPorLote", Scripted(0, commit=True, raise_exc=httpx.ReadTimeout))
    results, _ = push(omie, clock, RECEBER, receivable_items(60), lot_size=50)
    assert len(omie.calls("UpsertContaReceberPorLote")) == 2
    assert len(omie.calls("ConsultarContaReceber")) == 50
    assert omie.calls("UpsertContaReceber") == []
    assert all(r.status == "sent" and r.omie_id for r in results.values())
    assert len(omie.receivables) == 60


def test_a_lost_lot_that_did_not_land_is_sent_again_whole(omie, clock):
    omie.script("UpsertContaReceberPorLote", Scripted(500, BROKEN))        # nothing committed
    results, _ = push(omie, clock, RECEBER, receivable_items(60), lot_size=50)
    assert len(omie.calls("ConsultarContaReceber")) == 1                   # one probe
    assert len(omie.calls("UpsertContaReceberPorLote")) == 3               # the lost lot again
    assert omie.calls("UpsertContaReceber") == []
    assert identical_resends(omie) == []
    assert all(r.status == "sent" and r.omie_id for r in results.values())


def test_a_lost_category_is_searched_in_its_group_not_created_twice(omie, clock):
    omie.script("IncluirCategoria", Scripted(500, BROKEN, commit=True))
    items = [Item(f"1.01|Cat {i}", {"categoria_superior": "1.01", "descricao": f"Cat {i}"}, "h") for i in range(3)]
    results, _ = push(omie, clock, CATEGORIAS, items)
    assert len(omie.calls("IncluirCategoria")) == 3
    assert len(omie.calls("ListarCategorias")) == 1
    assert results["1.01|Cat 0"].status == "sent" and results["1.01|Cat 0"].omie_id == "1.01.01"
    assert [c["descricao"] for c in omie.categories] == ["Cat 0", "Cat 1", "Cat 2"]


def test_a_row_gives_up_after_max_attempts(omie, clock):
    omie.script("UpsertCliente", *[Scripted(500, BUSY) for _ in range(3)])
    results, _ = push(omie, clock, CLIENTES, client_items(1), max_attempts=3)
    r = results["C0000"]
    assert r.status == "failed" and r.attempts == 3 and "gave up after 3 attempts" in r.note
    assert "Já existe uma requisição" in r.fault


def test_the_secret_never_leaves_the_body(omie, clock, caplog):
    omie.script("UpsertCliente", Scripted(0, raise_exc=httpx.ReadTimeout), Scripted(500, BROKEN))
    results, sender = push(omie, clock, CLIENTES, client_items(2))
    text = repr(results) + repr(sender) + repr(sender.settings) + caplog.text
    assert SECRET not in text


def test_after_a_timeout_the_method_waits_before_its_next_write(omie, clock):
    # Omie may still be running the timed-out write: the next one would meet Client-1880.
    omie.script("UpsertCliente", Scripted(0, raise_exc=httpx.ReadTimeout))
    results, _ = push(omie, clock, CLIENTES, client_items(3), timeout_seconds=4.0)
    assert 4.0 in clock.sleeps
    first, second = omie.calls("UpsertCliente")[:2]
    assert second[0] - first[0] >= 4.0
    assert all(r.status == "sent" for r in results.values())
