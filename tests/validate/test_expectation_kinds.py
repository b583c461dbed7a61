"""Each kind of check with a value that passes and one that fails, through validate_view with GX
as judge (so GX and the Polars masks also agree on each of these frames)."""
from __future__ import annotations

import datetime

import polars as pl
import pytest

BASE = {
    "omie_projetos": {"codInt": "P1", "nome": "Projeto Alfa", "inativo": "N"},
    "omie_clientes": {"codigo_cliente_integracao": "C1", "razao_social": "Padaria Ltda",
                      "cnpj_cpf": "11.222.333/0001-81", "email": "a@b.com"},
    "omie_contas_receber": {"codigo_lancamento_integracao": "R1",
                            "codigo_cliente_fornecedor_integracao": "C1",
                            "data_vencimento": "2026-03-10", "valor_documento": 100.0},
}


def one_row(view: str, column: str, value, dtype=None) -> pl.DataFrame:
    row = {**BASE[view], column: value}
    schema = {c: (dtype if c == column and dtype is not None else None) for c in row}
    return pl.DataFrame([row], schema_overrides={c: t for c, t in schema.items() if t is not None})


CASES = [
    # view, column, passing value, failing value, words of the failing message
    ("omie_projetos", "nome", "Projeto Alfa", None, "nome is empty; Omie requires it"),
    ("omie_projetos", "nome", "x", "   ", "nome is blank; Omie requires it"),
    ("omie_projetos", "nome", "n" * 70, "n" * 71, "nome is 71 characters; Omie accepts at most 70"),
    ("omie_clientes", "razao_social", "r" * 60, "r" * 73,
     "razao_social is 73 characters; Omie accepts at most 60"),
    ("omie_projetos", "inativo", "S", "X", "inativo 'X' is not one of S, N"),
    ("omie_contas_receber", "data_vencimento", "2025-02-28", "2025-02-30",
     "data_vencimento '2025-02-30' is not a real date"),
    ("omie_contas_receber", "data_vencimento", "1901-01-01", "1900-12-31",
     "data_vencimento '1900-12-31' is too old; Omie wants a year after 1900"),
    ("omie_contas_receber", "data_vencimento", "2025-12-01", "01/12/2025",
     "data_vencimento '01/12/2025' is not a date; write it as DATE or YYYY-MM-DD"),
    ("omie_contas_receber", "data_previsao", "2025-12-01", "2025-1-05", "is not a date"),
    ("omie_contas_receber", "codigo_cliente_fornecedor", 4.0, 4.5,
     "codigo_cliente_fornecedor 4.5 is not a whole number"),
    ("omie_contas_receber", "valor_documento", 10.5, float("inf"),
     "valor_documento inf is not a finite number"),
    ("omie_clientes", "cnpj_cpf", "529.982.247-25", "12.345.678/0001-00",
     "cnpj_cpf '12.345.678/0001-00' has wrong check digits"),
    ("omie_clientes", "cnpj_cpf", "52998224725", "111.111.111-11", "has wrong check digits"),
    ("omie_clientes", "cnpj_cpf", "12.ABC.345/01DE-35", "12.ABC.345/01DE-36", "wrong check digits"),
    ("omie_clientes", "cnpj_cpf", "11222333000181", "1122233300018", "is not a CPF or CNPJ"),
    ("omie_clientes", "email", "a@b.com, c.d@e.com.br", "a@b", "is not a plausible e-mail"),
    ("omie_clientes", "email", "fin@padaria.com.br", "a@b.com;c@d.com", "is not a plausible e-mail"),
    ("omie_clientes", "email", "x+y@sub.example.org", "a@b.com\n", "is not a plausible e-mail"),
]


@pytest.mark.parametrize("view,column,good,bad,words", CASES,
                         ids=[f"{c[1]}:{c[3]!r}"[:40] for c in CASES])
def test_pass_and_fail(validate, view, column, good, bad, words):
    passed = validate(view, one_row(view, column, good))
    assert passed.rejected == [] and passed.valid.height == 1
    failed = validate(view, one_row(view, column, bad, pl.Float64 if isinstance(good, float) else None))
    assert failed.valid.height == 0
    (row,) = failed.rejected
    assert row.key == BASE[view][next(iter(BASE[view]))]
    assert any(words in r.message and r.field == column for r in row.reasons), row.reasons


def test_dates_given_as_date(validate):
    good = one_row("omie_contas_receber", "data_vencimento", datetime.date(2026, 2, 28))
    assert validate("omie_contas_receber", good).rejected == []
    old = one_row("omie_contas_receber", "data_vencimento", datetime.date(1899, 12, 31))
    (row,) = validate("omie_contas_receber", old).rejected
    assert row.reasons[0].message == "data_vencimento '1899-12-31' is too old; Omie wants a year after 1900"


def test_integer_field_given_as_integer_passes(validate):
    frame = one_row("omie_contas_receber", "codigo_cliente_fornecedor", 4)
    assert frame.schema["codigo_cliente_fornecedor"] == pl.Int64
    assert validate("omie_contas_receber", frame).rejected == []


def test_nan_counts_as_empty(validate):
    frame = one_row("omie_contas_receber", "valor_documento", float("nan"))
    (row,) = validate("omie_contas_receber", frame).rejected
    assert [r.message for r in row.reasons] == ["valor_documento is empty; Omie requires it"]


def test_integration_key_unique_within_the_view(validate):
    frame = pl.DataFrame({"codInt": ["P1", "P2", "P1"], "nome": ["a", "b", "c"]})
    result = validate("omie_projetos", frame)
    assert [r.row_index for r in result.rejected] == [0, 2]
    assert result.valid["codInt"].to_list() == ["P2"]
    assert "codInt 'P1' appears in more than one row" in result.rejected[0].reasons[0].message


def test_row_key_of_several_columns_unique(validate):
    frame = pl.DataFrame({"categoria_superior": ["2.01", "2.01", "2.02"],
                          "descricao": ["Frete", "Frete", "Frete"]})
    result = validate("omie_categorias", frame)
    assert [(r.row_index, r.key) for r in result.rejected] == [(0, "2.01|Frete"), (1, "2.01|Frete")]
    assert result.rejected[0].reasons[0].expectation == "expect_compound_columns_to_be_unique"


@pytest.mark.parametrize("omie_id,code,rejected", [
    (None, "C1", False), (5500000101, None, False), (None, None, True), (None, "   ", True)])
def test_at_least_one_of_a_group(validate, omie_id, code, rejected):
    frame = pl.DataFrame([{**BASE["omie_contas_receber"], "codigo_cliente_fornecedor": omie_id,
                           "codigo_cliente_fornecedor_integracao": code}],
                         schema_overrides={"codigo_cliente_fornecedor": pl.Int64,
                                           "codigo_cliente_fornecedor_integracao": pl.String})
    result = validate("omie_contas_receber", frame)
    assert bool(result.rejected) is rejected
    if rejected:
        assert "fill at least one" in result.rejected[0].reasons[0].message


def test_group_member_missing_from_the_view_counts_as_empty(validate):
    row = {k: v for k, v in BASE["omie_contas_receber"].items()}
    row["codigo_cliente_fornecedor_integracao"] = None
    frame = pl.DataFrame([row], schema_overrides={"codigo_cliente_fornecedor_integracao": pl.String})
    assert "codigo_cliente_fornecedor" not in frame.columns
    (bad,) = validate("omie_contas_receber", frame).rejected
    assert bad.reasons[0].expectation == "expect_at_least_one_of_columns_to_be_filled"


def test_valid_keeps_original_columns_order_and_values(validate):
    frame = pl.DataFrame({"nome": ["a", None, "c"], "codInt": ["P1", "P2", "P3"],
                          "inativo": ["N", "N", "S"]})
    result = validate("omie_projetos", frame)
    assert result.valid.columns == ["nome", "codInt", "inativo"]
    assert result.valid.to_dicts() == [frame.row(0, named=True), frame.row(2, named=True)]
    assert result.expectation_counts["expect_column_values_to_not_be_null:nome"] == 1
    assert result.rows == 3 and result.judged_by_gx


def test_text_field_given_as_integer_is_checked_as_text(validate):
    frame = pl.DataFrame({"codigo_cliente_integracao": ["C1"], "razao_social": ["X"],
                          "codigo_pais": [10580]})
    (row,) = validate("omie_clientes", frame).rejected
    assert row.reasons[0].message == "codigo_pais is 5 characters; Omie accepts at most 4"


def test_empty_parent_omie_id_says_where_it_comes_from(validate):
    frame = pl.DataFrame({"cCodIntCtr": ["K1"], "nCodCli": [None], "cNumCtr": ["1"],
                          "dVigInicial": ["2026-01-01"], "dVigFinal": ["2026-12-31"], "nDiaFat": [5],
                          "cTipoFat": ["01"], "cTpVenc": ["001"]}, schema_overrides={"nCodCli": pl.Int64})
    (row,) = validate("omie_contratos", frame).rejected
    assert row.reasons[0].message == (
        "nCodCli is empty; Omie requires it (nCodCli is the Omie id of a record of clientes: "
        "a view that reads it from omie_ids has it once that record was pushed)")
