"""GX 1.x custom expectations for what GX lacks: CPF/CNPJ check digits, real calendar dates,
plausible e-mail lists, whole and finite numbers, and "at least one of these columns filled".

Each is a ColumnMapExpectation (or MulticolumnMapExpectation) with its own metric provider and a
pandas implementation, in GX's documented pattern; defining the classes registers them with GX,
so importing this module is what makes the suites' custom types known. The pandas code is
vectorized where it can be: GX judges every row of a view on each run.
"""
from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import (
    ColumnMapExpectation,
    MulticolumnMapExpectation,
)
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    MulticolumnMapMetricProvider,
    column_condition_partial,
    multicolumn_condition_partial,
)

from . import rules, suite


def cpf_cnpj_ok(column: pd.Series) -> pd.Series:
    """True where the value is a well-formed CPF or CNPJ with the right check digits."""
    text = column.astype(str)
    well_formed = text.str.fullmatch(rules.DOC_PATTERN).fillna(False).astype(bool)
    bare = text.str.replace(rules.DOC_SEPARATORS, "", regex=True)
    ok = np.zeros(len(column), dtype=bool)
    for length, weights in ((11, rules.CPF_WEIGHTS), (14, rules.CNPJ_WEIGHTS)):
        chosen = (well_formed & (bare.str.len() == length)).to_numpy(dtype=bool)
        if not chosen.any():
            continue
        raw = "".join(bare.to_numpy(dtype=object)[chosen]).encode("ascii")
        codes = np.frombuffer(raw, dtype=np.uint8).reshape(-1, length).astype(np.int64) - 48
        good = ~(codes == codes[:, :1]).all(axis=1)
        for w in weights:
            rest = (codes[:, : len(w)] * np.array(w)).sum(axis=1) % 11
            good &= codes[:, len(w)] == np.where(rest < 2, 0, 11 - rest)
        ok[chosen] = good
    return pd.Series(ok, index=column.index)


def real_dates_ok(column: pd.Series, min_year: int) -> pd.Series:
    """True where the value is a date, or YYYY-MM-DD text of a real date, in min_year or later."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return (column.dt.year >= min_year).fillna(False).astype(bool)
    text = column.astype(str)  # a datetime.date prints as YYYY-MM-DD
    shaped = text.str.fullmatch(rules.DATE_PATTERN).fillna(False).astype(bool)
    parsed = pd.to_datetime(text.where(shaped), format="%Y-%m-%d", errors="coerce")
    return (shaped & parsed.notna() & (parsed.dt.year >= min_year)).fillna(False).astype(bool)


def email_lists_ok(column: pd.Series) -> pd.Series:
    return column.astype(str).str.fullmatch(rules.EMAIL_LIST_PATTERN).fillna(False).astype(bool)


def _floats(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def filled(column: pd.Series) -> pd.Series:
    """Not null, and for text not spaces only."""
    present = column.notna()
    if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
        blank = column.astype(str).str.contains(suite.BLANK_REGEX, regex=True)
        present &= ~blank.fillna(False).astype(bool)
    return present


class ColumnValuesValidCpfCnpj(ColumnMapMetricProvider):
    condition_metric_name = "column_values.valid_cpf_cnpj"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):
        return cpf_cnpj_ok(column)


class ColumnValuesRealDates(ColumnMapMetricProvider):
    condition_metric_name = "column_values.real_dates"
    condition_value_keys = ("min_year",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, min_year, **kwargs):
        return real_dates_ok(column, min_year)


class ColumnValuesEmailLists(ColumnMapMetricProvider):
    condition_metric_name = "column_values.email_lists"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):
        return email_lists_ok(column)


class ColumnValuesWholeNumbers(ColumnMapMetricProvider):
    condition_metric_name = "column_values.whole_numbers"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):
        values = _floats(column)
        with np.errstate(invalid="ignore"):
            return pd.Series(np.isfinite(values) & (np.floor(values) == values),
                             index=column.index)


class ColumnValuesFiniteNumbers(ColumnMapMetricProvider):
    condition_metric_name = "column_values.finite_numbers"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):
        return pd.Series(np.isfinite(_floats(column)), index=column.index)


class AtLeastOneColumnFilled(MulticolumnMapMetricProvider):
    condition_metric_name = "multicolumn_values.at_least_one_filled"
    condition_domain_keys = ("batch_id", "table", "column_list", "row_condition",
                             "condition_parser", "ignore_row_if")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list, **kwargs):
        masks = [filled(column_list[name]) for name in column_list.columns]
        return pd.concat(masks, axis=1).any(axis=1)


class ExpectColumnValuesToBeValidCpfCnpj(ColumnMapExpectation):
    """Expect values to be CPFs or CNPJs (formatted or digits only) with the right check digits."""

    map_metric = "column_values.valid_cpf_cnpj"
    success_keys = ("mostly",)
    library_metadata: ClassVar[dict] = {"tags": ["omie-push", "brazil"], "contributors": []}


class ExpectColumnValuesToBeRealDates(ColumnMapExpectation):
    """Expect values to be real calendar dates (DATE, or YYYY-MM-DD text) from min_year on."""

    min_year: int = 1901
    map_metric = "column_values.real_dates"
    success_keys = ("mostly", "min_year")
    library_metadata: ClassVar[dict] = {"tags": ["omie-push"], "contributors": []}


class ExpectColumnValuesToBeEmailLists(ColumnMapExpectation):
    """Expect values to be one plausible e-mail address, or several separated by commas."""

    map_metric = "column_values.email_lists"
    success_keys = ("mostly",)
    library_metadata: ClassVar[dict] = {"tags": ["omie-push"], "contributors": []}


class ExpectColumnValuesToBeWholeNumbers(ColumnMapExpectation):
    """Expect numeric values without a fractional part (Omie's Integer fields)."""

    map_metric = "column_values.whole_numbers"
    success_keys = ("mostly",)
    library_metadata: ClassVar[dict] = {"tags": ["omie-push"], "contributors": []}


class ExpectColumnValuesToBeFiniteNumbers(ColumnMapExpectation):
    """Expect numeric values that JSON can carry: no infinity."""

    map_metric = "column_values.finite_numbers"
    success_keys = ("mostly",)
    library_metadata: ClassVar[dict] = {"tags": ["omie-push"], "contributors": []}


class ExpectAtLeastOneOfColumnsToBeFilled(MulticolumnMapExpectation):
    """Expect every row to fill at least one of the columns (not null, not spaces only)."""

    ignore_row_if: str = "never"
    map_metric = "multicolumn_values.at_least_one_filled"
    success_keys = ("mostly",)
    library_metadata: ClassVar[dict] = {"tags": ["omie-push"], "contributors": []}