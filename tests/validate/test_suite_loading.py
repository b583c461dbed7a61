"""A suite that names a type GX does not know, or does not load, is an error: never a check
silently skipped (GX 1.x on its own only logs and drops such an expectation)."""
from __future__ import annotations

import copy

import polars as pl
import pytest

from omie_push.errors import SuiteError
from omie_push.validate import store

FRAME = pl.DataFrame({"codInt": ["P1"], "nome": ["Projeto"]})


def projetos_suite() -> dict:
    return copy.deepcopy(store.read_suite("omie_projetos"))


def test_gx_alone_drops_an_unknown_type_silently(gx):
    """Why the check exists: GX builds a suite without the unknown expectation."""
    import great_expectations as gxc

    data = projetos_suite()
    data["expectations"][0]["type"] = "expect_column_values_to_be_nice"
    suite = gxc.ExpectationSuite(name="x", expectations=data["expectations"])
    assert len(suite.expectations) == len(data["expectations"]) - 1


def test_unknown_type_is_an_error(validate):
    data = projetos_suite()
    data["expectations"][1]["type"] = "expect_column_values_to_be_nice"
    with pytest.raises(SuiteError, match="GX does not know: expect_column_values_to_be_nice"):
        validate("omie_projetos", FRAME, suite=data)


def test_type_known_to_gx_but_not_to_the_row_checks_is_an_error(validate):
    data = projetos_suite()
    data["expectations"].append({"type": "expect_column_values_to_be_json_parseable",
                                 "kwargs": {"column": "nome"}, "meta": {}})
    with pytest.raises(SuiteError, match="no row check for expect_column_values_to_be_json_parseable"):
        validate("omie_projetos", FRAME, suite=data)


def test_bad_kwargs_do_not_load(validate):
    data = projetos_suite()
    data["expectations"][0]["kwargs"] = {"columnn": "nome"}
    with pytest.raises(SuiteError, match=r"expectation #1 .* does not load"):
        validate("omie_projetos", FRAME, suite=data)


def test_unreadable_file_is_an_error(tmp_path):
    (tmp_path / "omie_projetos.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SuiteError, match="does not load"):
        store.read_suite("omie_projetos", tmp_path)
    (tmp_path / "omie_projetos.json").write_text('{"expectations": [{"kwargs": {}}]}')
    with pytest.raises(SuiteError, match="expectation #1 .* has no type"):
        store.read_suite("omie_projetos", tmp_path)
    with pytest.raises(SuiteError, match="no suite at .*omie_vendedores.json"):
        store.read_suite("omie_vendedores", tmp_path)


def test_every_checked_in_suite_loads_whole(gx):
    from omie_push.catalog import views

    for _, view in views():
        data = store.read_suite(view.name)
        assert len(gx.load_suite(view.name, data).expectations) == len(data["expectations"])
