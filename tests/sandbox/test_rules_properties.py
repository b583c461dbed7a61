"""Properties of the rules every call relies on: pagination, alteration, CNPJ/CPF."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from validate_docbr import CNPJ, CPF

from omie_push.sandbox import protocol as p
from omie_push.sandbox import rules
from omie_push.sandbox.service import page


@settings(deadline=None)
@given(n=st.integers(1, 120), per=st.integers(1, 40))
def test_pages_cover_every_record_once_then_fault(n, per):
    items = [{"i": i} for i in range(n)]
    first = page(items, {"pagina": 1, "registros_por_pagina": per}, "x")
    pages = first["total_de_paginas"]
    seen = []
    for k in range(1, pages + 1):
        answer = page(items, {"pagina": k, "registros_por_pagina": per}, "x")
        assert answer["registros"] == len(answer["x"]) and answer["total_de_registros"] == n
        seen += answer["x"]
    assert seen == items
    with pytest.raises(p.OmieFault) as fault:
        page(items, {"pagina": pages + 1, "registros_por_pagina": per}, "x")
    assert fault.value.faultcode == "SOAP-ENV:Client-5113"


values = st.one_of(st.text(max_size=5), st.integers(), st.lists(st.text(max_size=3), max_size=3))


@settings(deadline=None)
@given(stored=st.dictionaries(st.sampled_from("abcdef"), values), incoming=st.dictionaries(st.sampled_from("abcdef"), values))
def test_merge_empty_erases_absent_keeps_present_replaces(stored, incoming):
    merged = rules.merge(stored, incoming)
    for key in set(stored) | set(incoming):
        if key not in incoming:
            assert merged[key] == stored[key]
        elif incoming[key] == "":
            assert merged[key] == ""       # erased: stored empty, answered "" (omie-api.md §9)
        else:
            assert merged[key] == incoming[key]


@settings(deadline=None)
@given(st.sampled_from(["cnpj", "cpf"]), st.data())
def test_documents_are_stored_formatted_whatever_the_input_form(kind, data):
    checker = CNPJ() if kind == "cnpj" else CPF()
    digits = checker.generate()
    form = data.draw(st.sampled_from([digits, checker.mask(digits)]))
    assert rules.document("cnpj_cpf", form) == (digits, checker.mask(digits))
