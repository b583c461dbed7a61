"""The cpf_cnpj_is_valid macro (dbt_project/macros/cpf_cnpj.sql), rendered and run in DuckDB.

The macro is plain Jinja, so it is rendered here with jinja2 (dbt-only blocks stripped) and the SQL it
produces is run in DuckDB, fast, against known values and against validate-docbr on many random ones.
The e2e test checks the same macro through dbt, as the generic test cpf_cnpj_valid.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import duckdb
import jinja2
import pytest
from validate_docbr import CNPJ, CPF

MACROS = Path(__file__).resolve().parents[2] / "dbt_project" / "macros" / "cpf_cnpj.sql"


@pytest.fixture(scope="module")
def is_valid_sql() -> str:
    source = MACROS.read_text(encoding="utf-8")
    source = re.sub(r"{% test .*?{% endtest %}", "", source, flags=re.S)   # dbt's own block tag
    env = jinja2.Environment(extensions=["jinja2.ext.do"])
    module = env.from_string(source).module
    return str(module.cpf_cnpj_is_valid("doc"))


def verdicts(sql: str, values: list[str | None]) -> list[bool]:
    con = duckdb.connect()
    try:
        con.execute("create table t (i integer, doc varchar)")
        con.executemany("insert into t values (?, ?)", list(enumerate(values)))
        return [row[0] for row in con.execute(f"select {sql} from t order by i").fetchall()]
    finally:
        con.close()


KNOWN = {
    "529.982.247-25": True,          # the sandbox's legacy client (CPF)
    "52998224725": True,
    "11.222.333/0001-81": True,      # the sandbox's legacy client (CNPJ)
    "11222333000181": True,
    "12.ABC.345/01DE-35": True,      # alphanumeric CNPJ (Receita Federal's example)
    "529.982.247-24": False,         # last CPF digit off
    "529.982.247-15": False,         # first CPF digit off
    "11.222.333/0001-82": False,     # last CNPJ digit off
    "11.222.333/0001-91": False,     # first CNPJ digit off
    "111.111.111-11": False,         # repeated digit passes mod 11 but is not a CPF
    "00.000.000/0000-00": False,
    "12.ABC.345/01DE-3A": False,     # check digits must be digits
    "5299822472": False,             # wrong length
    "not a document": False,
    "": False,
    None: False,
}


def test_known_values(is_valid_sql):
    got = dict(zip(KNOWN, verdicts(is_valid_sql, list(KNOWN))))
    assert got == KNOWN


def test_agrees_with_validate_docbr(is_valid_sql):
    rng = random.Random(7)
    cpf, cnpj = CPF(), CNPJ()
    values = []
    for _ in range(300):
        values.append(cpf.generate(mask=rng.random() < 0.5))
        values.append(cnpj.generate(mask=rng.random() < 0.5))
        values.append("".join(rng.choice("0123456789") for _ in range(11)))     # mostly invalid CPFs
        values.append("".join(rng.choice("0123456789") for _ in range(14)))     # mostly invalid CNPJs
        alnum = "".join(rng.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(12))
        values.append(alnum + "".join(rng.choice("0123456789") for _ in range(2)))
    expected = [(cpf if len(re.sub(r"[.\-/]", "", v)) == 11 else cnpj).validate(v) for v in values]
    assert sum(expected) > 500, "the sample should hold many valid numbers"
    got = verdicts(is_valid_sql, values)
    wrong = [(v, e) for v, e, g in zip(values, expected, got) if e != g]
    assert wrong == []
