"""The catalog must say exactly what the connector doc says: names, order, types, lengths."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from omie_push import catalog

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import connector_doc  # noqa: E402

EXPECTED_COUNTS = {
    "clientes": 54, "contas_pagar": 48, "contas_receber": 58, "projetos": 4, "vendedores": 8,
    "categorias": 5, "clientes_associar": 2, "contratos": 77,
}


def differences(endpoints, doc) -> list[str]:
    """Every way the catalog's connector fields differ from the doc's tables."""
    diffs = []
    for name, doc_fields in doc.items():
        ep = next(e for e in endpoints if e.name == name)
        ours = [f for f in ep.fields if f.source == "connector"]
        if [f.name for f in ours] != [d["name"] for d in doc_fields]:
            diffs.append(f"{name}: field names or order differ")
        for f, d in zip(ours, doc_fields):
            if (f.type, f.length, f.section) != (d["type"], d["length"], d["section"]):
                diffs.append(f"{name}.{f.name}: catalog {f.type_label} in {f.section}, "
                             f"doc {d['type']}({d['length']}) in {d['section']}")
    return diffs


@pytest.fixture(scope="module")
def doc():
    return connector_doc.parse()


def test_doc_parses_to_256_fields(doc):
    assert {k: len(v) for k, v in doc.items()} == EXPECTED_COUNTS
    assert sum(EXPECTED_COUNTS.values()) == 256


def test_catalog_equals_connector_doc(doc):
    assert differences(catalog.ENDPOINTS, doc) == []


def test_changing_one_length_is_caught(doc):
    ep = catalog.get("clientes")
    changed = dataclasses.replace(ep.field("razao_social"), length=61)
    fields = tuple(changed if f.name == "razao_social" else f for f in ep.fields)
    mutated = [dataclasses.replace(ep, fields=fields) if e is ep else e for e in catalog.ENDPOINTS]
    assert differences(mutated, doc) == [
        "clientes.razao_social: catalog String(61) in None, doc String(60) in None"
    ]


def test_checked_in_doc_is_the_shared_reference():
    shared = Path(__file__).resolve().parents[3] / "shared" / "reference" / connector_doc.DOC.name
    if not shared.exists():
        pytest.skip("no shared/ beside this checkout")
    assert shared.read_text(encoding="utf-8") == connector_doc.DOC.read_text(encoding="utf-8")
