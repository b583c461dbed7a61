"""Parse the field tables of the connector doc, independently of the catalog.

The doc is the contract the catalog must match: this parser reads it as text so that
a test can compare the two and fail when they drift.
"""
from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "reference" / "omie-destination-connector.md"

# Endpoint headings as they stand in the doc, in order, mapped to catalog names.
HEADINGS = {
    "Clientes": "clientes",
    "Contas a Pagar": "contas_pagar",
    "Contas a Receber": "contas_receber",
    "Projetos": "projetos",
    "Vendedores": "vendedores",
    "Categorias": "categorias",
    "Associar Código de Integração Cliente": "clientes_associar",
    "Contratos": "contratos",
}
# The contratos tables follow one another with no heading of their own; the doc lists
# the sections in this order before the tables.
CONTRATOS_SECTIONS = [
    "cabecalho", "itensContrato.itemCabecalho", "itensContrato.itemDescrServ",
    "itensContrato.itemImpostos", "infAdic", "vencTextos", "departamentos",
    "emailCliente", "observacoes",
]
ROW = re.compile(r"^\|?\s*([A-Za-z_][A-Za-z0-9_]*)\s*\|\s*([A-Za-z]+)(?:\((\d+)\))?\s*\|\s*(.*?)\s*\|\s*$")


def parse(path: Path = DOC) -> dict[str, list[dict]]:
    """Return {endpoint: [{name, type, length, section, description}]} in doc order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: dict[str, list[dict]] = {}
    current = None
    table_index = -1
    for line in lines:
        stripped = line.strip()
        if stripped in HEADINGS and current != HEADINGS[stripped]:
            current = HEADINGS[stripped]
            out.setdefault(current, [])
            table_index = -1
            continue
        if stripped.startswith("| Field | Type"):
            table_index += 1
            continue
        m = ROW.match(stripped)
        if not m or current is None or m.group(1) == "Field":
            continue
        name, type_, length, desc = m.groups()
        section = CONTRATOS_SECTIONS[table_index] if current == "contratos" else None
        out[current].append({
            "name": name, "type": type_, "length": int(length) if length else None,
            "section": section, "description": desc,
        })
    return out
