"""validate_view: the schema check, the view's suite judged by GX, per-row verdicts from Polars."""
from __future__ import annotations

import math
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import polars as pl

from ..errors import SuiteError
from . import masks, messages, store, suite as suites
from .frame import checked_frame
from .result import Reason, RejectedRow, ValidationResult
from .schema import check_schema, lookup


def expectation_id(exp: dict) -> str:
    field = (exp.get("meta") or {}).get("omie_field") or exp["kwargs"].get("column") or ""
    return f"{exp['type']}:{field}"


def _columns(exp: dict) -> list[str]:
    kw = exp["kwargs"]
    return [kw["column"]] if "column" in kw else list(kw.get("column_list", []))


def applicable(expectations: list[dict], present: set[str]) -> list[dict]:
    """The expectations this frame can be judged by. An optional field the view leaves out has
    nothing to check; "at least one of" applies when the view carries one of its group (the
    others count as empty); a uniqueness over several columns needs them all."""
    return [exp for exp in expectations
            if all(c in present for c in _columns(exp))
            or (exp["type"] == suites.ONE_OF and any(c in present for c in _columns(exp)))]


def _known_to_masks(view_name: str, expectations: list[dict]) -> None:
    unread = sorted({e["type"] for e in expectations} - set(masks.BUILDERS))
    if unread:
        raise SuiteError(f"{view_name}: omie-push has no row check for {', '.join(unread)}; "
                         f"suites may only use the types `omie-push expectations generate` writes")


def _plain(value):
    """A value as JSON carries it (reasons go to the results file as JSON)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _row_keys(frame: pl.DataFrame, key_columns: list[str], rows: list[int]) -> list[str]:
    cols = [c for c in key_columns if c in frame.columns]
    if not cols:
        return [str(i) for i in rows]
    picked = frame.select([pl.col(c).cast(pl.String).fill_null("") for c in cols])[rows]
    return picked.select(pl.concat_str(cols, separator="|")).to_series().to_list()


def _reasons(checked: pl.DataFrame, failing: pl.DataFrame, chosen: list[dict], counts: list[int],
             key_of_row: dict[int, str]) -> dict[int, list[Reason]]:
    found: dict[int, list[Reason]] = defaultdict(list)
    for i, exp in enumerate(chosen):
        if not counts[i]:
            continue
        rows = failing.select(pl.arg_where(pl.col(f"m{i}"))).to_series().to_list()
        cols = _columns(exp)
        field = (exp.get("meta") or {}).get("omie_field") or ", ".join(cols)
        if len(cols) == 1:
            values = checked[cols[0]].gather(rows).to_list()
        else:
            values = [key_of_row.get(r) if exp["type"] != suites.ONE_OF else None
                      for r in rows]
        for row, value in zip(rows, values):
            found[row].append(Reason(field, exp["type"], _plain(value),
                                     messages.message(exp, value)))
    return found


WHOLE_VIEW = (suites.UNIQUE, suites.UNIQUE_TOGETHER)    # judged over the view, not its rows


def whole_view_masks(view_name: str, columns: list[str],
                     read: Callable[[list[str]], pl.DataFrame],
                     suite: dict | None = None) -> dict[str, pl.Series]:
    """The failing-row masks of the expectations a row cannot be judged by alone (a value
    unique across the view), over every row of the view: `columns` are the view's, `read`
    gives those columns of every row (a view processed in slices reads only these at once).
    Keyed by expectation_id; validate_view takes each slice's part of them (`whole`)."""
    endpoint, view = lookup(view_name)
    data = suite if suite is not None else store.read_suite(view_name)
    chosen = [e for e in applicable(data["expectations"], set(columns)) if e["type"] in WHOLE_VIEW]
    if not chosen:
        return {}
    fields = {f.name: f for f in endpoint.fields_of(view)}
    used = sorted({c for exp in chosen for c in _columns(exp)})
    checked = checked_frame(read(used), fields, used)
    failing = checked.select([masks.unexpected(e, checked.schema).alias(expectation_id(e))
                              for e in chosen])
    return {name: failing[name] for name in failing.columns}


def validate_view(view_name: str, frame: pl.DataFrame, *, judge: bool = True,
                  suite: dict | None = None,
                  whole: dict[str, pl.Series] | None = None) -> ValidationResult:
    """Split a view into the rows Omie would accept and the rows it would refuse, with reasons.

    Raises ViewError (schema) or SuiteError (suite) before judging any row. With `judge`, GX
    evaluates the suite on the same values and must count what the Polars masks count.
    `whole`: the view-wide masks (whole_view_masks) sliced to these rows, for a frame that is
    one batch of the view; without it, uniqueness is judged within `frame`."""
    endpoint, view = lookup(view_name)
    check_schema(view_name, frame)
    data = suite if suite is not None else store.read_suite(view_name)
    if judge:       # GX (a 2 s import) only where it judges: a push judges in its GX worker
        from . import gx_judge

        gx_judge.load_suite(view_name, data)  # every type known to GX, or SuiteError
    _known_to_masks(view_name, data["expectations"])
    chosen = applicable(data["expectations"], set(frame.columns))
    fields = {f.name: f for f in endpoint.fields_of(view)}
    used = {c for exp in chosen for c in _columns(exp)}
    checked = checked_frame(frame, fields, [c for c in frame.columns if c in used],
                            absent=sorted(used - set(frame.columns)))
    # GX judges in a second thread while Polars (which releases the GIL) builds the verdicts.
    # That thread must make no Polars call: with a Python UDF in the main thread's query, two
    # threads calling into Polars can deadlock. So the pandas copy is made here, first.
    judging = judge and bool(chosen)
    pandas_copy = checked.to_pandas() if judging else None
    with ThreadPoolExecutor(max_workers=1) as pool:
        gx_counts = pool.submit(_gx_counts, view_name, chosen, pandas_copy) if judging else None
        counts, bad, rejected = _verdicts(frame, checked, chosen, list(view.row_key), whole)
        if gx_counts is not None:
            _agree(view_name, chosen, gx_counts.result(), counts)
    return ValidationResult(
        view=view_name, rows=frame.height, rejected=rejected,
        valid=frame.filter(~bad) if rejected else frame,       # no copy when every row passes
        expectation_counts={expectation_id(e): c for e, c in zip(chosen, counts)},
        judged_by_gx=judging)


def _verdicts(frame: pl.DataFrame, checked: pl.DataFrame, chosen: list[dict],
              key_columns: list[str], whole: dict[str, pl.Series] | None = None
              ) -> tuple[list[int], pl.Series, list[RejectedRow]]:
    """Unexpected counts per expectation, the failing-row mask, and each rejected row's reasons."""
    if not chosen:
        return [], pl.Series("bad", [False] * frame.height), []
    given = whole or {}
    failing = checked.select([
        (pl.lit(given[expectation_id(e)]) if expectation_id(e) in given
         else masks.unexpected(e, checked.schema)).alias(f"m{i}")
        for i, e in enumerate(chosen)])
    counts = [int(c) for c in failing.select(pl.all().sum()).row(0)]
    bad = failing.select(pl.any_horizontal(pl.all()).alias("bad")).to_series()
    bad_rows = bad.arg_true().to_list()
    keys = dict(zip(bad_rows, _row_keys(frame, key_columns, bad_rows)))
    reasons = _reasons(checked, failing, chosen, counts, keys)
    return counts, bad, [RejectedRow(r, keys[r], reasons[r]) for r in bad_rows]


def _gx_counts(view_name: str, chosen: list[dict], pandas_copy) -> list[int]:
    from . import gx_judge

    suite = gx_judge.load_suite(view_name, {"name": view_name, "expectations": chosen})
    return gx_judge.unexpected_counts(view_name, suite, pandas_copy)


def _agree(view_name: str, chosen: list[dict], gx_counts: list[int], counts: list[int]) -> None:
    wrong = [f"{expectation_id(e)} (GX {g}, row checks {c})"
             for e, g, c in zip(chosen, gx_counts, counts) if g != c]
    if wrong:
        raise SuiteError(f"{view_name}: GX and omie-push's row checks disagree on "
                         f"{'; '.join(wrong)}; nothing of this view is sent. This is a bug "
                         f"in omie-push: please report it with the view's data")
