"""Every Omie fact cited in the code and docs resolves inside the repository.

Citations read `omie-api.md §N` or `§N.M`: section N of docs/reference/omie-api.md, and M its
subsection (`### N.M`) or the M-th item of its numbered list. The file is the shared research
copied in; a test keeps the two equal, as for the connector doc.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "reference" / "omie-api.md"
CITATION = re.compile(r"omie-api(?:\.md)?[^§\n]{0,12}((?:§ ?\d+(?:\.\d+)?[,/ and–-]*)+)")
SOURCES = [p for p in (*ROOT.glob("omie_push/**/*.py"), *ROOT.glob("docs/*.md"), ROOT / "README.md",
                       *ROOT.glob("dbt_project/**/*.sql"), *ROOT.glob("dbt_project/**/*.yml"))
           if p.is_file() and not {"target", "logs", "dbt_packages"} & set(p.parts)]


def sections(text: str) -> set[str]:
    found, current = set(), None
    for line in text.splitlines():
        if m := re.match(r"^## (\d+)\.", line):
            current = m.group(1)
            found.add(current)
        elif m := re.match(r"^### (\d+\.\d+)", line):
            found.add(m.group(1))
        elif current and (m := re.match(r"^(\d+)\. ", line)):
            found.add(f"{current}.{m.group(1)}")
    return found


def citations(text: str) -> set[str]:
    return {n for m in CITATION.finditer(text) for n in re.findall(r"§ ?(\d+(?:\.\d+)?)", m.group(1))}


def test_every_citation_resolves():
    known = sections(REFERENCE.read_text(encoding="utf-8"))
    missing = sorted(f"{path.relative_to(ROOT)}: §{n}" for path in SOURCES
                     for n in citations(path.read_text(encoding="utf-8")) if n not in known)
    assert missing == []


def test_the_check_sees_a_citation_that_does_not_resolve():
    known = sections(REFERENCE.read_text(encoding="utf-8"))
    assert {"2", "3.1", "5.3"} <= known
    assert citations("see omie-api.md §3.2 and §42") == {"3.2", "42"} and "42" not in known


def test_reference_is_the_shared_research():
    shared = ROOT.parent / "shared" / "reference" / REFERENCE.name
    if not shared.exists():
        pytest.skip("no shared/ beside this checkout")
    assert shared.read_text(encoding="utf-8") == REFERENCE.read_text(encoding="utf-8")
