"""GX as the judge of a suite: load it strictly, and count each expectation's unexpected rows.

GX 1.x drops an expectation of an unknown type with only a log line; here every type is looked
up in GX's registry first, and the loaded suite must hold as many expectations as the file, so a
typo in a suite is an error and never a check silently skipped. GX reads an in-memory pandas
frame: it has no Polars support and its DuckDB SQL datasource returns empty results.
"""
from __future__ import annotations

import functools
import logging

from ..errors import SuiteError
from . import gx_custom  # noqa: F401  (registers the custom expectations with GX)

# Enough for unexpected_count without GX collecting the failing values themselves.
RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0}
INDEX_KEY = "omie_push_index"


def unknown_types(types: list[str]) -> list[str]:
    """The expectation types GX's registry does not know (custom ones included)."""
    from great_expectations.exceptions import ExpectationNotFoundError
    from great_expectations.expectations.registry import get_expectation_impl

    unknown = []
    for type_ in types:
        try:
            get_expectation_impl(type_)
        except ExpectationNotFoundError:
            unknown.append(type_)
    return unknown


def load_suite(view_name: str, data: dict):
    """A GX ExpectationSuite from suite JSON; SuiteError if any expectation does not load."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    unknown = unknown_types([e["type"] for e in data["expectations"]])
    if unknown:
        raise SuiteError(f"{view_name}: its suite names expectation types GX does not know: "
                         f"{', '.join(sorted(set(unknown)))}; fix the file or run "
                         f"`omie-push expectations generate`")
    built = []
    for i, exp in enumerate(data["expectations"]):
        meta = {**(exp.get("meta") or {}), INDEX_KEY: i}
        try:
            config = ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"], meta=meta)
            built.append(config.to_domain_obj())
        except Exception as exc:  # pydantic and GX errors alike: the file is wrong
            raise SuiteError(f"{view_name}: expectation #{i + 1} ({exp['type']}) of its suite "
                             f"does not load: {exc}; run `omie-push expectations generate`"
                             ) from None
    suite = gx.ExpectationSuite(name=data.get("name") or view_name, expectations=built)
    if len(suite.expectations) != len(data["expectations"]):
        raise SuiteError(f"{view_name}: GX loaded {len(suite.expectations)} of the "
                         f"{len(data['expectations'])} expectations of its suite")
    return suite


@functools.lru_cache(maxsize=1)
def _batch_definition():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("omie_push")
    return source.add_dataframe_asset("view").add_batch_definition_whole_dataframe("all_rows")


def unexpected_counts(view_name: str, suite, pandas_frame) -> list[int]:
    """GX's unexpected row count of each expectation, in the suite's order."""
    from great_expectations.validator.v1_validator import Validator

    validator = Validator(batch_definition=_batch_definition(),
                          batch_parameters={"dataframe": pandas_frame},
                          result_format=RESULT_FORMAT)
    outcome = validator.validate_expectation_suite(suite)
    counts: list[int | None] = [None] * len(suite.expectations)
    for result in outcome.results:
        config = result.expectation_config
        index = config.meta[INDEX_KEY]
        problem = _raised(result.exception_info)
        if problem is not None:
            raise SuiteError(f"{view_name}: GX could not evaluate {config.type} on "
                             f"{config.kwargs}: {problem}")
        counts[index] = int(result.result.get("unexpected_count") or 0)
    if any(c is None for c in counts):
        raise SuiteError(f"{view_name}: GX returned no result for some expectations")
    return counts  # type: ignore[return-value]


def _raised(info) -> str | None:
    """The message of an exception GX caught while evaluating an expectation, if any."""
    if not isinstance(info, dict):
        return None
    if "raised_exception" in info:
        return str(info.get("exception_message")) if info["raised_exception"] else None
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None
