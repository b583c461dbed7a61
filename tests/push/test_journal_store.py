"""The write-ahead journal and the short writes of the results store (issue 10, items 1 and 6)."""
import asyncio

import duckdb
import pytest

from omie_push.push.recorder import Recorder
from omie_push.store import journal
from omie_push.store.ledger import RowRecord, now


@pytest.fixture
def recorder(tmp_path):
    rec = Recorder(tmp_path / "results.duckdb", "app-1")
    yield rec
    rec.close()


def test_an_intent_is_durable_before_the_answer_and_closed_with_it(recorder, tmp_path):
    async def go():
        await recorder.intend("r1", "clientes", "UpsertCliente", [("C-1", "h1", {"a": 1}),
                                                                  ("C-2", "h2", {"a": 2})])
        # durable: another connection (another process, after a SIGKILL) sees both
        con = duckdb.connect(str(tmp_path / "results.duckdb"), read_only=True)
        assert con.execute("select key from intents where resolved_at is null order by key").fetchall() \
            == [("C-1",), ("C-2",)]
        con.close()
        await recorder.answer("r1", RowRecord("clientes", "v", "C-1", "sent", omie_id="9",
                                              payload_hash="h1"), {}, (), "sent")
        await recorder.answer("r1", RowRecord("clientes", "v", "C-2", "failed", payload_hash="h2"),
                              None, (), None)           # answer lost: stays open
    asyncio.run(go())
    left = recorder.open_intents()
    assert [(i.key, i.call, i.payload) for i in left] == [("C-2", "UpsertCliente", {"a": 2})]
    assert set(recorder.accepted("clientes")) == {"C-1"}


def test_a_landed_intent_is_recorded_in_the_killed_run_with_its_ledger_entry(recorder):
    asyncio.run(recorder.intend("killed", "categorias", "IncluirCategoria",
                                [("1.01|X", "h", {"descricao": "X"})]))
    intent = recorder.open_intents()[0]
    recorder.resolved(intent, "landed", RowRecord("categorias", "omie_categorias", "1.01|X", "sent",
                                                  omie_id="1.01.09", payload_hash="h"), {"codigo": "1.01.09"})
    assert recorder.open_intents() == []
    assert recorder.accepted("categorias")["1.01|X"].omie_id == "1.01.09"
    rows = recorder._read(lambda l: l.con.execute(
        "select run_id, status from row_results").fetchall())
    assert rows == [("killed", "sent")]


def test_the_file_is_not_held_between_writes(recorder, tmp_path):
    """Another process may open the file read-write between two writes of a run."""
    asyncio.run(recorder.intend("r1", "clientes", "UpsertCliente", [("C-1", "h", None)]))
    other = duckdb.connect(str(tmp_path / "results.duckdb"))       # would fail if held
    other.execute("select count(*) from intents").fetchall()
    other.close()


def test_an_upsert_accepted_again_clears_the_delete_entry():
    from omie_push.catalog import get
    from omie_push.push.diff import cleared_deletes

    assert cleared_deletes(get("contas_receber"), "R-1") == [("contas_receber_excluir", "R-1", None)]
    assert cleared_deletes(get("contas_pagar"), "P-1") == [("contas_pagar_excluir", "P-1", None)]
    assert cleared_deletes(get("categorias"), "1|x") == []


def test_intents_upsert_by_run_endpoint_and_key(tmp_path):
    from omie_push.store.results import ResultsFile

    f = ResultsFile(tmp_path / "r.duckdb")
    f.create()
    with f.transaction() as con:
        journal.intend(con, "r", "k", "contas_receber", "UpsertContaReceberPorLote", [("R-1", "h", None)], now())
        journal.intend(con, "r", "k", "contas_receber", "UpsertContaReceber", [("R-1", "h", None)], now())
    with f.connection(read_only=True) as con:
        assert [(i.key, i.call) for i in journal.open_intents(con, "k")] == [("R-1", "UpsertContaReceber")]
