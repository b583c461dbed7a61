"""One view's rows prepared as frames, a slice at a time: the validation verdicts, the keys,
the payload texts and their hashes, and the diff against the ledger as a join (issue 16).

Python objects are made only for the rows that will be sent (a `Candidate`, its payload parsed
only when asked for) or are refused or held (a `RowRecord`); unchanged rows stay a frame, which
the caller records in one insert. The payloads come from `columnar.payload_texts`; a row it
leaves out (an edge case it cannot write byte for byte) goes through `payload.build`, the row
path, which also says why a value cannot become what Omie expects.
"""
from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator

import polars as pl

from ..catalog import Endpoint
from ..store.ledger import RowRecord
from . import columnar, diff, payload
from . import prepare
from .prepare import Candidate, reasons_of, reject

SLICE_ROWS = 50_000
# Bulk outcomes (unchanged rows, a dry run's rows to send) are written this many at a time:
# each write opens the results file and closes it, and a close checkpoints (~0.3 s a slice).
RECORD_ROWS = 100_000
JUDGE_ROWS = 200_000    # rows handed to the GX worker at once
REF = "__ref_"          # the frame's copy of a parent reference column


@dataclass
class SliceOutcome:
    """What one slice of a view came to."""

    sending: pl.DataFrame | None = None                        # key, payload_hash, payload
    known: list[RowRecord] = field(default_factory=list)      # rejected, held by a parent
    unchanged: pl.DataFrame | None = None                      # key, payload_hash, omie_id, note
    judged: Future | None = None                               # GX on the rows sent or refused
    timings: Counter = field(default_factory=Counter)


class FrameRows:
    """A view already in memory as one frame (a company's share of a view, tests)."""

    def __init__(self, frame: pl.DataFrame):
        self.frame = frame

    @property
    def schema(self) -> pl.Schema:
        return self.frame.schema

    def columns(self, names: list[str]) -> pl.DataFrame:
        return self.frame.select(names)

    def slices(self, rows: int) -> Iterator[pl.DataFrame]:
        yield from self.frame.iter_slices(rows) if self.frame.height else [self.frame]


class SpilledRows:
    """A view spilled to an Arrow IPC file (dbt.warehouse.spill_view), read back a slice at a
    time: a million-row view is never one frame in memory (issue 16), and the columns a
    whole-view check needs are read on their own. `own` (a company's run): a slice -> the
    company's rows of it (recording the rows of no company); `mine`: the filter alone."""

    def __init__(self, path, own: Callable | None = None, mine: Callable | None = None):
        self.path, self.own, self.mine = str(path), own, mine

    def _reader(self):
        import pyarrow as pa

        # read, not memory-mapped: a mapped file's pages count as the process's own memory
        return pa.ipc.open_file(pa.OSFile(self.path))

    @property
    def schema(self) -> pl.Schema:
        empty = pl.from_arrow(self._reader().schema.empty_table())
        return (self.own(empty) if self.own else empty).schema

    def columns(self, names: list[str]) -> pl.DataFrame:
        reader = self._reader()
        kept = [n for n in {*names, *self._company(reader.schema.names)} if n in reader.schema.names]
        frame = pl.from_arrow(reader.read_all().select(kept), rechunk=False)
        return (self.mine(frame) if self.mine else frame).select(names)

    def slices(self, rows: int) -> Iterator[pl.DataFrame]:
        reader = self._reader()
        for i in range(reader.num_record_batches):
            batch = pl.from_arrow(reader.get_batch(i))
            batch = self.own(batch) if self.own else batch
            yield from batch.iter_slices(rows) if batch.height else [batch]

    @staticmethod
    def _company(names: list[str]) -> list[str]:
        from .scope import COMPANY_COLUMN

        return [COMPANY_COLUMN] if COMPANY_COLUMN in names else []


class ViewSlicer:
    """The slices of one view, in order; keys seen in earlier slices count as duplicates."""

    def __init__(self, endpoint: Endpoint, ledger: pl.DataFrame,
                 blocked: Callable[[tuple[str, ...], str], bool], full_refresh: bool,
                 judge: Callable[[str, pl.DataFrame], Future] | None):
        self.endpoint, self.view = endpoint, endpoint.view
        self.ledger = ledger.rename({"payload_hash": "accepted_hash"})
        self.blocked, self.full_refresh, self.judge = blocked, full_refresh, judge
        self.unjudged: list[pl.DataFrame] = []         # rows for GX, sent JUDGE_ROWS at a time
        self.seen = pl.Series("key", [], dtype=pl.String)

    def validated(self, frame: pl.DataFrame, whole: dict[str, pl.Series]
                  ) -> tuple[pl.DataFrame, SliceOutcome]:
        """A slice judged, its uniqueness by the view-wide masks (`whole`, this slice's part:
        a key must be unique in the view, not in a slice): its valid rows, and an outcome
        holding the rejected ones (GX judges them too)."""
        from ..validate import validate_view

        out, lap = SliceOutcome(), _Laps()
        result = validate_view(self.view, frame, judge=False, whole=whole)
        out.known += self._rejected(frame, result.rejected)
        if self.judge is not None and result.rejected:
            out.judged = self._to_judge(frame[[r.row_index for r in result.rejected]])
        out.timings["validate"] += lap()
        return result.valid, out

    def slice(self, valid: pl.DataFrame) -> SliceOutcome:
        """Keys, payloads, holds and the diff of a slice of the valid rows."""
        out, lap = SliceOutcome(), _Laps()
        built = self._built(valid, pl.Series("row", range(valid.height), dtype=pl.UInt32), out)
        out.timings["payload"] += lap()
        to_diff = self._held_by_parents(built, out)
        self._diff(to_diff, out)
        out.timings["diff"] += lap()
        if self.judge is not None:       # GX judges the rows not already accepted as they are
            unchanged_rows = out.unchanged["row"] if out.unchanged is not None else []
            judged = valid.with_row_index("__row").filter(~pl.col("__row").is_in(
                pl.Series(unchanged_rows, dtype=pl.UInt32).implode())).drop("__row")
            out.judged = self._to_judge(judged)
        if out.unchanged is not None:
            out.unchanged = out.unchanged.drop("row")
        return out

    def _to_judge(self, frame: pl.DataFrame, last: bool = False) -> Future | None:
        """Rows for GX, handed to its worker JUDGE_ROWS at a time (or the rest, `last`): GX's
        cost per call is high, a quarter of its time on 50,000-row calls."""
        if frame.height:
            self.unjudged.append(frame)
        if not self.unjudged or (not last and sum(f.height for f in self.unjudged) < JUDGE_ROWS):
            return None
        frames, self.unjudged = self.unjudged, []
        return self.judge(self.view, pl.concat(frames, how="vertical_relaxed"))

    def judge_rest(self) -> Future | None:
        return self._to_judge(pl.DataFrame(), last=True) if self.judge is not None else None

    def _rejected(self, frame: pl.DataFrame, rejected) -> list[RowRecord]:
        if not rejected:
            return []
        rows = frame[[r.row_index for r in rejected]].to_dicts()
        return [RowRecord(self.endpoint.name, self.view, diff.key_of(self.endpoint, row), "rejected",
                          reasons=reasons_of(r), note="refused by validation")
                for row, r in zip(rows, rejected)]

    def _built(self, valid: pl.DataFrame, rows: pl.Series, out: SliceOutcome) -> pl.DataFrame:
        """The keyed, first-seen rows with their payload text and hash (and parent refs)."""
        keys = key_series(self.endpoint, valid)
        first = keys.is_not_null() & keys.is_first_distinct() & ~keys.is_in(self.seen.implode())
        for key in keys.filter(~first).to_list():
            out.known.append(reject(self.endpoint, self.view, None, "key",
                                    "the row has no integration key") if key is None else
                             reject(self.endpoint, self.view, key, "key",
                                    f"{key!r} appears twice in the view"))
        kept = valid.filter(first)
        self.seen = pl.concat([self.seen, keys.filter(first)])
        texts = columnar.payload_texts(self.endpoint, kept)
        texts = self._row_path(kept, keys.filter(first), texts, out)
        refs = [pl.col(r.column).alias(f"{REF}{i}") for i, r in enumerate(self.endpoint.parent_refs)
                if r.column in kept.columns]
        frame = pl.DataFrame([keys.filter(first).rename("key"), texts.rename("payload"),
                              rows.filter(first).rename("row")]).hstack(kept.select(refs))
        frame = frame.filter(pl.col("payload").is_not_null())
        return frame.with_columns(payload_hash=columnar.sha256_hex(frame["payload"]))

    def _row_path(self, kept: pl.DataFrame, keys: pl.Series, texts: pl.Series,
                  out: SliceOutcome) -> pl.Series:
        """The rows the columnar path left out, built one by one (or refused, with the reason)."""
        missing = texts.is_null().arg_true().to_list()
        if not missing:
            return texts
        filled = texts.to_list()
        for i, row in zip(missing, kept[missing].to_dicts()):
            try:
                filled[i] = diff.canonical(payload.build(self.endpoint, row))
            except payload.PayloadError as exc:
                out.known.append(reject(self.endpoint, self.view, keys[i], exc.field, str(exc),
                                        exc.value))
        return pl.Series("payload", filled, dtype=pl.String)

    def _held_by_parents(self, built: pl.DataFrame, out: SliceOutcome) -> pl.DataFrame:
        """A child row naming a parent record that went wrong in this run is held (push.run)."""
        held = pl.repeat(False, built.height, eager=True)
        notes: list[tuple[pl.Series, str, str]] = []
        for i, parent_ref in enumerate(self.endpoint.parent_refs):
            name = f"{REF}{i}"
            if name not in built.columns:
                continue
            refs = built[name].cast(pl.String)
            values = [v for v in refs.drop_nulls().unique().to_list() if v != ""]
            bad = [v for v in values if self.blocked(parent_ref.endpoints, v)]
            if bad:
                mask = refs.is_in(pl.Series(bad, dtype=pl.String).implode()) & ~held
                notes.append((mask, parent_ref.column, name))
                held = held | mask
        for mask, column, name in notes:
            for key, ref, text, digest in built.filter(mask).select(
                    "key", name, "payload", "payload_hash").iter_rows():
                out.known.append(RowRecord(
                    self.endpoint.name, self.view, key, "held", payload_hash=digest,
                    payload=json.loads(text),
                    note=f"{column} {ref} was refused in this run (rejected, failed or held): "
                         f"this row waits for the next run"))
        return built.filter(~held)

    def _diff(self, built: pl.DataFrame, out: SliceOutcome) -> None:
        """Send or unchanged, as diff.decide says, for every row at once."""
        joined = built.select("key", "payload", "payload_hash", "row").join(
            self.ledger, on="key", how="left", maintain_order="left")
        has = pl.col("accepted_hash").is_not_null()
        changed = has & (pl.col("accepted_hash") != pl.col("payload_hash"))
        if self.endpoint.kind in ("insert", "delete"):
            send = ~has
        else:
            send = pl.lit(self.full_refresh) | ~has | changed
        joined = joined.with_columns(send=send)
        out.sending = joined.filter("send").select("key", "payload_hash", "payload")
        note = (pl.concat_str([pl.lit("already created in Omie as "),
                               pl.col("omie_id").fill_null("None"),
                               pl.lit(f"; {self.endpoint.call} cannot change it")])
                if self.endpoint.kind == "insert" else pl.lit("already accepted by Omie"))
        out.unchanged = joined.filter(~pl.col("send")).select(
            "key", "payload_hash", "omie_id", "row",
            note=pl.when(changed).then(note).otherwise(pl.lit(None, dtype=pl.String)))


def prepare_endpoint(endpoint: Endpoint, frames: dict, ledger: pl.DataFrame,
                     blocked: Callable[[tuple[str, ...], str], bool], full_refresh: bool,
                     settle: prepare.Settle) -> prepare.Prepared:
    """Everything up to the calls for one endpoint; `frames` maps view name -> its rows (a
    Polars frame, or a SpilledRows of a view read to a file), `ledger` is the endpoint's
    ledger as a frame (key, payload_hash, omie_id)."""
    from ..validate import gx_worker

    if len(endpoint.views) > 1:
        return prepare.prepare_rows(endpoint, frames, prepare.entries(ledger), blocked,
                                    full_refresh, settle)
    prep = prepare.Prepared(endpoint, endpoint.view)
    pending = _Pending(settle.record)
    settle = replace(settle, record=pending.add)
    slicer = ViewSlicer(endpoint, ledger, blocked, full_refresh, settle.judge)
    rows = frames.pop(endpoint.view)                      # the view's rows let go with it
    rows = FrameRows(rows) if isinstance(rows, pl.DataFrame) else rows
    verdicts = []
    for out in _outcomes(slicer, rows):
        prep.timings.update(out.timings)
        verdicts += [out.judged] if out.judged is not None else []
        _settle_slice(prep, out, settle)
    clock = time.perf_counter()
    pending.flush()
    prep.timings["record"] += time.perf_counter() - clock
    verdicts += [f for f in [slicer.judge_rest()] if f is not None]
    clock = time.perf_counter()
    for future in verdicts:            # GX must agree before anything of the view is sent
        gx_worker.verdict(endpoint.view, future)
    prep.timings["judge"] += time.perf_counter() - clock
    return prep


def _outcomes(slicer: ViewSlicer, rows) -> Iterator[SliceOutcome]:
    """Per slice of the view: its rejected rows, then the rest keyed, built and diffed. The
    checks across rows (uniqueness) are made first over the whole view, on their columns only."""
    from ..validate import check_schema
    from ..validate.engine import whole_view_masks

    clock = time.perf_counter()
    check_schema(slicer.view, rows.schema)
    whole = whole_view_masks(slicer.view, list(rows.schema), rows.columns)
    spent, at = time.perf_counter() - clock, 0
    for piece in rows.slices(SLICE_ROWS):
        part = {name: mask.slice(at, piece.height) for name, mask in whole.items()}
        at += piece.height
        valid, rejected = slicer.validated(piece, part)
        rejected.timings["validate"] += spent
        spent = 0.0
        yield rejected
        yield slicer.slice(valid)


def _settle_slice(prep: prepare.Prepared, out: SliceOutcome, settle: prepare.Settle) -> None:
    """A slice's unchanged rows recorded now. A push keeps its rows to send (as candidates);
    a dry run records them now, after the holds: only the rows a hold may touch become
    objects (`settle.holdable`: their keys, or None for all), the rest go in as a frame."""
    clock = time.perf_counter()
    if out.unchanged is not None and out.unchanged.height:
        settle.record(prep.view, "unchanged", out.unchanged)
        prep.bulk[(prep.view, "unchanged")] += out.unchanged.height
    prep.known += out.known
    sending = out.sending if out.sending is not None else _no_rows()
    if not settle.stream:
        prep.to_send += candidates(sending)
    else:
        holdable = settle.holdable() if settle.holdable is not None else None
        touched = (pl.repeat(True, sending.height, eager=True) if holdable is None
                   else sending["key"].is_in(pl.Series(sorted(holdable), dtype=pl.String).implode()))
        piece = prepare.Prepared(prep.endpoint, prep.view, candidates(sending.filter(touched)))
        settle.hold(piece)
        prep.known += piece.known
        still = pl.Series([c.key for c in piece.to_send], dtype=pl.String)
        rows = sending.filter(~touched | pl.col("key").is_in(still.implode()))
        settle.record(prep.view, "not_attempted", _kept_payloads(rows, prep.streamed))
        prep.streamed += rows.height
    prep.timings["record"] += time.perf_counter() - clock


class _Pending:
    """Bulk outcomes held until RECORD_ROWS of them, then written in one insert per status."""

    def __init__(self, record: Callable[[str, str, pl.DataFrame], None]):
        self.record, self.frames, self.rows = record, {}, 0

    def add(self, view: str, status: str, frame: pl.DataFrame) -> None:
        self.frames.setdefault((view, status), []).append(frame)
        self.rows += frame.height
        if self.rows >= RECORD_ROWS:
            self.flush()

    def flush(self) -> None:
        frames, self.frames, self.rows = self.frames, {}, 0
        for (view, status), parts in frames.items():
            self.record(view, status, pl.concat(parts, how="diagonal_relaxed"))


def _kept_payloads(rows: pl.DataFrame, before: int) -> pl.DataFrame:
    """A dry run's rows to send as recorded: with their payloads up to prepare.DRY_RUN_PAYLOADS
    rows of the view (`before` recorded already), with key and hash only past it."""
    kept = pl.int_range(pl.len()) < max(0, prepare.DRY_RUN_PAYLOADS - before)
    return rows.with_columns(
        payload=pl.when(kept).then(pl.col("payload")),
        note=pl.when(kept).then(pl.lit(prepare.DRY_RUN_NOTE))
        .otherwise(pl.lit(prepare.DRY_RUN_NOTE_UNKEPT)))


def candidates(sending: pl.DataFrame) -> list[Candidate]:
    return [Candidate(key, payload_hash=digest, text=text)
            for key, digest, text in sending.select("key", "payload_hash", "payload").iter_rows()]


def _no_rows() -> pl.DataFrame:
    return pl.DataFrame(schema={"key": pl.String, "payload_hash": pl.String, "payload": pl.String})


def key_series(endpoint: Endpoint, frame: pl.DataFrame) -> pl.Series:
    """Each row's ledger key as diff.key_of gives it (null: the row has none); columnar for a
    text or whole-number integration code, diff.key_of row by row otherwise."""
    name = endpoint.integration_key
    if name is not None and name in frame.columns and endpoint.kind != "delete":
        column = frame[name]
        if column.dtype == pl.String:
            return column.replace("", None).rename("key")
        if column.dtype.is_integer():
            return column.cast(pl.String).rename("key")
    return pl.Series("key", [diff.key_of(endpoint, row) for row in frame.iter_rows(named=True)],
                     dtype=pl.String)


class _Laps:
    """Seconds since the previous lap: where a slice's time goes (the --json timings)."""

    def __init__(self):
        self.last = time.perf_counter()

    def __call__(self) -> float:
        now = time.perf_counter()
        spent, self.last = now - self.last, now
        return spent
