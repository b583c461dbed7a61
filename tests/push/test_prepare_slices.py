"""The columnar, sliced prepare (push.batches) against the row-by-row one (prepare.prepare_rows),
on the same frames and ledger: the same rows to send with the same payloads and hashes, the
same outcome for every other row; duplicates found across slices; unchanged rows recorded in
bulk, never as objects."""
from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from omie_push.catalog import get
from omie_push.push import batches, diff
from omie_push.push.prepare import Settle, prepare_rows
from omie_push.store.ledger import LedgerEntry


def clientes_frame(n: int) -> pl.DataFrame:
    codes = [f"C-{i % (n - 3)}" if i % 11 else None for i in range(n)]      # duplicates, no key
    return pl.DataFrame({
        "codigo_cliente_integracao": codes,
        "razao_social": [f"Empresa {i} \"Aspas\" \\ Ltda – ação 🚀" for i in range(n)],
        "cnpj_cpf": ["11.444.777/0001-61" if i % 7 else "11.444.777/0001-00" for i in range(n)],
        "email": [None if i % 3 else f"c{i}@x.com.br" for i in range(n)],
        "estado": ["SP"] * n,
    })


def receber_frame(n: int) -> pl.DataFrame:
    return pl.DataFrame({
        "codigo_lancamento_integracao": [f"R-{i}" for i in range(n)],
        "codigo_cliente_fornecedor_integracao": [f"C-{i % 5}" for i in range(n)],
        "data_vencimento": [date(2030, 1, 1 + i % 28) for i in range(n)],
        "valor_documento": [Decimal(f"{i}.{i % 100:02d}") for i in range(n)],  # 0.00 is refused
        "codigo_categoria": ["1.01.02"] * n,
        "id_conta_corrente": [4850011001] * n,
    }, schema_overrides={"valor_documento": pl.Decimal(15, 2)})


def ledger_of(endpoint, frame: pl.DataFrame, every: int) -> dict[str, LedgerEntry]:
    """Some rows accepted as they are, some with another payload (changed since)."""
    out = {}
    for i, row in enumerate(frame.to_dicts()):
        key = diff.key_of(endpoint, row)
        if key is None or i % every:
            continue
        same = i % (2 * every) == 0
        out[key] = LedgerEntry(diff.payload_hash({"x": i}) if not same else None, f"{i}")
    return out


def run_both(name: str, frame: pl.DataFrame, ledger: dict, slice_rows: int, monkeypatch,
             blocked=lambda endpoints, key: key == "C-3"):
    endpoint = get(name)
    # the ledger's "same" entries carry the row path's own hash
    rows = prepare_rows(endpoint, {endpoint.view: frame}, {}, lambda *a: False, False)
    hashes = {c.key: c.payload_hash for c in rows.to_send}
    ledger = {k: LedgerEntry(v.payload_hash or hashes.get(k, "none"), v.omie_id)
              for k, v in ledger.items()}
    old = prepare_rows(endpoint, {endpoint.view: frame}, ledger, blocked, False)
    recorded: list[tuple[str, pl.DataFrame]] = []
    settle = Settle(record=lambda view, status, f: recorded.append((status, f)),
                    hold=lambda prep: None)
    monkeypatch.setattr(batches, "SLICE_ROWS", slice_rows)
    frame_ledger = pl.DataFrame([(k, v.payload_hash, v.omie_id) for k, v in ledger.items()],
                                schema={"key": pl.String, "payload_hash": pl.String,
                                        "omie_id": pl.String}, orient="row")
    new = batches.prepare_endpoint(endpoint, {endpoint.view: frame}, frame_ledger, blocked,
                                   False, settle)
    return old, new, recorded


@pytest.mark.parametrize("name,make,n", [("clientes", clientes_frame, 60),
                                         ("contas_receber", receber_frame, 45)])
@pytest.mark.parametrize("slice_rows", [7, 1000])
def test_sliced_prepare_agrees_with_the_row_path(name, make, n, slice_rows, monkeypatch):
    frame = make(n)
    endpoint = get(name)
    old, new, recorded = run_both(name, frame, ledger_of(endpoint, frame, 4), slice_rows, monkeypatch)
    assert [(c.key, c.payload_hash, c.param) for c in new.to_send] == \
           [(c.key, c.payload_hash, c.param) for c in old.to_send]
    assert new.to_send, "the case must send something"
    old_known = Counter((r.key, r.status, r.note, r.payload_hash) for r in old.known
                        if r.status != "unchanged")
    new_known = Counter((r.key, r.status, r.note, r.payload_hash) for r in new.known)
    assert new_known == old_known
    assert {r.status for r in old.known} >= {"rejected", "unchanged"}
    unchanged_old = sorted((r.key, r.payload_hash, r.omie_id, r.note)
                           for r in old.known if r.status == "unchanged")
    bulk = pl.concat([f for status, f in recorded if status == "unchanged"])
    assert sorted(bulk.select("key", "payload_hash", "omie_id", "note").iter_rows()) == unchanged_old
    assert new.bulk[(endpoint.view, "unchanged")] == len(unchanged_old) > 0
    assert all(r.status != "unchanged" for r in new.known)      # never one object per row


def test_a_key_twice_in_the_view_is_refused_across_slices(monkeypatch):
    """Uniqueness is the view's, not a slice's: both rows of key A are refused, as the row
    path refuses them, though they fall in different slices."""
    frame = pl.DataFrame({"codigo_cliente_integracao": ["A", "B", "C", "A"],
                          "razao_social": ["a", "b", "c", "a again"],
                          "cnpj_cpf": ["11.444.777/0001-61"] * 4})
    old, new, _ = run_both("clientes", frame, {}, 2, monkeypatch)
    assert sorted((r.key, r.status) for r in new.known) == \
           sorted((r.key, r.status) for r in old.known) == [("A", "rejected"), ("A", "rejected")]
    assert [c.key for c in new.to_send] == [c.key for c in old.to_send] == ["B", "C"]


def test_a_dry_run_slice_is_recorded_as_it_goes_after_the_holds(monkeypatch):
    endpoint = get("clientes")
    frame = clientes_frame(30)
    recorded: list[tuple[str, pl.DataFrame]] = []

    def hold(prep):      # the run's holds see each slice before it is recorded
        prep.to_send = [c for c in prep.to_send if c.key != "C-2"]

    settle = Settle(record=lambda view, status, f: recorded.append((status, f)), hold=hold,
                    stream=True)
    monkeypatch.setattr(batches, "SLICE_ROWS", 8)
    empty = pl.DataFrame(schema={"key": pl.String, "payload_hash": pl.String, "omie_id": pl.String})
    prep = batches.prepare_endpoint(endpoint, {endpoint.view: frame}, empty,
                                    lambda *a: False, False, settle)
    sent = pl.concat([f for status, f in recorded if status == "not_attempted"])
    assert prep.to_send == [] and prep.streamed == sent.height > 0
    assert "C-2" not in sent["key"].to_list()
    assert set(sent["note"].to_list()) == {"dry run: would be sent"}
    row_path = prepare_rows(endpoint, {endpoint.view: frame}, {}, lambda *a: False, False)
    texts = {c.key: diff.canonical(c.param) for c in row_path.to_send}
    assert all(texts[k] == t for k, t in sent.select("key", "payload").iter_rows())


def test_a_dry_run_keeps_the_payloads_of_its_first_rows_only(monkeypatch):
    """Past prepare.DRY_RUN_PAYLOADS rows to send, across slices, a dry run records key and
    hash without the payload, and says so in the row's note; every row is still recorded."""
    from omie_push.push import prepare

    endpoint = get("clientes")
    frame = pl.DataFrame({"codigo_cliente_integracao": [f"K-{i}" for i in range(25)],
                          "razao_social": [f"r{i}" for i in range(25)],
                          "cnpj_cpf": ["11.444.777/0001-61"] * 25})
    recorded: list[pl.DataFrame] = []
    settle = Settle(record=lambda view, status, f: recorded.append(f), hold=lambda prep: None,
                    stream=True)
    monkeypatch.setattr(batches, "SLICE_ROWS", 7)
    monkeypatch.setattr(prepare, "DRY_RUN_PAYLOADS", 10)
    empty = pl.DataFrame(schema={"key": pl.String, "payload_hash": pl.String, "omie_id": pl.String})
    prep = batches.prepare_endpoint(endpoint, {endpoint.view: frame}, empty,
                                    lambda *a: False, False, settle)
    rows = pl.concat(recorded)
    assert prep.streamed == rows.height == 25 and rows["payload_hash"].null_count() == 0
    kept = rows.filter(pl.col("payload").is_not_null())
    assert kept["key"].to_list() == [f"K-{i}" for i in range(10)]
    assert set(kept["note"]) == {prepare.DRY_RUN_NOTE}
    assert set(rows.filter(pl.col("payload").is_null())["note"]) == {prepare.DRY_RUN_NOTE_UNKEPT}
