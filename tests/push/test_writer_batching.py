"""The writer thread's batching (issue 16): the answers of calls in flight are written in one
open of the results and one transaction; a write is durable before its caller goes on; the
next call never goes out before its intent is durable; a batch writes what one-by-one would."""
import asyncio
import json
import time

import duckdb
import httpx
import pytest

from omie_push.catalog import get
from omie_push.client import make_sender
from omie_push.client.types import Budgets, Item, TargetSettings
from omie_push.push import recorder as recorder_module
from omie_push.push.recorder import Recorder
from omie_push.store.ledger import Answered, Ledger, RowRecord
from omie_push.store.results import ResultsFile


@pytest.fixture
def recorder(tmp_path):
    rec = Recorder(tmp_path / "results.duckdb", "app-1")
    yield rec
    rec.close()


def _read(tmp_path, sql):
    con = duckdb.connect(str(tmp_path / "results.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _sent(key, endpoint="clientes"):
    return RowRecord(endpoint, f"omie_{endpoint}", key, "sent", omie_id=key[-1], payload_hash="h")


def test_answers_of_calls_in_flight_are_written_in_one_open(recorder, tmp_path):
    keys = [f"C-{i}" for i in range(40)]

    async def go():
        await recorder.intend("r1", "clientes", "UpsertCliente", [(k, "h", {"k": k}) for k in keys])
        before = recorder.drains
        await asyncio.gather(*(recorder.answer("r1", _sent(k), {"ok": k}, (), "sent") for k in keys))
        return recorder.drains - before
    assert asyncio.run(go()) == 1
    assert _read(tmp_path, "select count(*) from row_results where status = 'sent'") == [(40,)]
    assert _read(tmp_path, "select count(*) from ledger") == [(40,)]
    assert _read(tmp_path, "select count(*) from intents where resolution = 'sent'") == [(40,)]


def test_a_lone_write_waits_the_short_pause_not_the_long_one(recorder, tmp_path):
    recorder.linger = 5.0          # were a lone write held for the batch window, this would show

    async def go():
        started = time.monotonic()
        await recorder.intend("r1", "clientes", "UpsertCliente", [("C-1", "h", None)])
        return time.monotonic() - started
    assert asyncio.run(go()) < 2.0
    assert _read(tmp_path, "select key from intents where resolved_at is null") == [("C-1",)]


def test_a_failing_write_fails_alone(recorder, tmp_path):
    bad = RowRecord("clientes", "omie_clientes", "C-bad", None, payload_hash="h")  # status null

    async def go():
        return await asyncio.gather(
            recorder.answer("r1", _sent("C-1"), {}, (), "sent"),
            recorder.answer("r1", bad, {}, (), None),
            recorder.answer("r1", _sent("C-2"), {}, (), "sent"), return_exceptions=True)
    first, second, third = asyncio.run(go())
    assert first is None and third is None
    assert isinstance(second, duckdb.Error)
    assert _read(tmp_path, "select key from ledger order by key") == [("C-1",), ("C-2",)]


def test_the_next_call_does_not_go_out_before_its_intent_is_durable(recorder, tmp_path):
    """Omie (at the transport) looks in the results file, as a SIGKILL at that instant would
    leave it, for the intent of every write it receives."""
    missing: list[str] = []

    def omie(request: httpx.Request) -> httpx.Response:
        param = json.loads(request.content)["param"][0]
        key = param["codigo_cliente_integracao"]
        rows = _read(tmp_path, f"select call from intents where key = '{key}' and resolved_at is null")
        if rows != [("UpsertCliente",)]:
            missing.append(key)
        return httpx.Response(200, json={"codigo_cliente_omie": 1, "codigo_status": "0",
                                         "descricao_status": "ok",
                                         "codigo_cliente_integracao": key})

    settings = TargetSettings("t", "http://omie.test/api/v1", "k", "s", budgets=Budgets(
        calls_per_minute_per_method=10**8, calls_per_minute_per_ip=10**8))
    items = [Item(f"C-{i}", {"codigo_cliente_integracao": f"C-{i}"}, "h") for i in range(30)]
    endpoint = get("clientes")

    async def go():
        async with make_sender(settings, transport=httpx.MockTransport(omie)) as sender:
            async def before_write(ep, batch, call):
                await recorder.intend("r1", ep.name, call, [(i.key, i.payload_hash, i.param) for i in batch])
            sender.before_write = before_write

            async def on_result(result):
                await recorder.answer("r1", _sent(result.key), result.response, (), "sent")
            await sender.send(endpoint, items, on_result)
    asyncio.run(go())
    assert missing == []
    assert _read(tmp_path, "select count(*) from intents where resolution = 'sent'") == [(30,)]
    assert recorder.drains < 30       # the writes of rows in flight went together


def _state(tmp_path):
    return (_read(tmp_path, "select endpoint, key, payload_hash, omie_id from ledger order by all"),
            _read(tmp_path, "select endpoint, key, resolution from intents order by all"),
            _read(tmp_path, "select endpoint, key, status from row_results order by all"))


@pytest.mark.parametrize("together", [False, True])
def test_a_batch_of_answers_writes_what_one_by_one_would(tmp_path, together):
    """Answers touching the same entries (a record accepted twice, a delete of a record
    accepted in the same batch, its re-creation after) end as written one after the other."""
    file = ResultsFile(tmp_path / "results.duckdb")
    file.create()
    answers = [
        Answered("r", _sent("P-1", "contas_pagar"), {}, [("contas_pagar_excluir", "P-1", None)], "sent"),
        Answered("r", RowRecord("contas_pagar", "v", "P-1", "sent", omie_id="2", payload_hash="h2"),
                 {}, [], "sent"),
        Answered("r", _sent("P-1", "contas_pagar_excluir"), {}, [("contas_pagar", "P-1", None)], "sent"),
        Answered("r", RowRecord("contas_pagar", "v", "P-1", "sent", omie_id="3", payload_hash="h3"),
                 {}, [("contas_pagar_excluir", "P-1", None)], "refused"),
        Answered("r", RowRecord("clientes", "v", "C-1", "failed", payload_hash="x"), None, (), None),
    ]
    with file.transaction() as con:
        con.execute("insert into intents (run_id, company, endpoint, key, call, started_at) values "
                    "('r', 'k', 'contas_pagar', 'P-1', 'U', now()), "
                    "('r', 'k', 'contas_pagar_excluir', 'P-1', 'E', now())")
    with file.connection() as con:
        ledger = Ledger(con, "k", create=False)
        if together:
            con.execute("begin")
            ledger.write_answers(answers)
            con.execute("commit")
        else:
            for a in answers:
                ledger.record_answer(a.run_id, a.record, a.answer, a.forget, a.resolution)
    ledger_rows, intents, rows = _state(tmp_path)
    assert ledger_rows == [("contas_pagar", "P-1", "h3", "3")]
    assert intents == [("contas_pagar", "P-1", "sent"), ("contas_pagar_excluir", "P-1", "sent")]
    assert len(rows) == 5


def test_the_writer_constants_keep_a_lone_write_quick():
    assert recorder_module.QUIET_SECONDS <= 0.05 < recorder_module.LINGER_SECONDS <= 0.5


def test_an_intent_given_again_in_the_run_replaces_the_first(recorder, tmp_path):
    """A lot's intent, then the same row's own call (refused in the lot, sent alone): one intent,
    the last call's, open; whether the second comes in another drain or in the same one."""
    async def go():
        await recorder.intend("r1", "contas_receber", "UpsertContaReceberPorLote",
                              [("R-1", "h", {"k": 1}), ("R-2", "h", {"k": 2})])
        await recorder.intend("r1", "contas_receber", "UpsertContaReceber", [("R-1", "h", {"k": 1})])
        await asyncio.gather(
            recorder.intend("r1", "contas_receber", "UpsertContaReceber", [("R-2", "h", {"k": 2})]),
            recorder.intend("r1", "contas_receber", "UpsertContaReceber", [("R-3", "h", {"k": 3})]))
    asyncio.run(go())
    assert _read(tmp_path, "select key, call, resolved_at from intents order by key") == [
        ("R-1", "UpsertContaReceber", None), ("R-2", "UpsertContaReceber", None),
        ("R-3", "UpsertContaReceber", None)]


def test_an_answer_queued_before_a_new_intent_of_its_row_leaves_that_intent_open(recorder, tmp_path):
    """One drain holding a row's answer and, queued after it, a new write's intent for the same
    row: written in that order, as one by one would (the new intent stays open)."""
    recorder.quiet = recorder.linger = 1.0     # the two writes surely meet in one drain

    async def go():
        await recorder.intend("r1", "clientes", "UpsertCliente", [("C-1", "h", None)])
        answer = asyncio.ensure_future(recorder.answer("r1", _sent("C-1"), {}, (), "sent"))
        await asyncio.sleep(0)                       # the answer is queued first
        again = asyncio.ensure_future(
            recorder.intend("r1", "clientes", "AssociarCodIntCliente", [("C-1", "h", None)]))
        before = recorder.drains
        await asyncio.gather(answer, again)
        return recorder.drains - before
    assert asyncio.run(go()) == 1
    assert _read(tmp_path, "select call, resolution from intents") == [("AssociarCodIntCliente", None)]
    assert _read(tmp_path, "select count(*) from ledger") == [(1,)]
