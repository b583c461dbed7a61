"""The `make bench` harness at a tiny size (no timing asserted: figures live in the benchmarks):
the synthetic views hold what they claim (valid, distinct CNPJs; the spoiled ones only), and the
report rewrites only the generated part of docs/benchmarks.md."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb
from validate_docbr import CNPJ

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_data  # noqa: E402
import bench_report  # noqa: E402


def _cnpjs(project: Path) -> list[str]:
    con = duckdb.connect(str(project / "warehouse.duckdb"), read_only=True)
    try:
        return [r[0] for r in con.execute("select cnpj_cpf from omie_clientes").fetchall()]
    finally:
        con.close()


def test_synthetic_clientes_have_valid_distinct_cnpjs(tmp_path):
    project = bench_data.make_project(tmp_path / "p", 300, ("omie_clientes",))
    cnpjs = _cnpjs(project)
    assert len(cnpjs) == len(set(cnpjs)) == 300
    assert all(CNPJ().validate(c) for c in cnpjs)


def test_bad_every_spoils_exactly_one_row_in_k(tmp_path):
    project = bench_data.make_project(tmp_path / "p", 300, ("omie_clientes",), bad_every=100)
    bad = [i for i, c in enumerate(_cnpjs(project)) if not CNPJ().validate(c)]
    assert bad == [99, 199, 299]


def test_contas_receber_view_has_its_columns(tmp_path):
    project = bench_data.make_project(tmp_path / "p", 10, ("omie_contas_receber",))
    con = duckdb.connect(str(project / "warehouse.duckdb"), read_only=True)
    cols = [d[0] for d in con.execute("select * from omie_contas_receber").description]
    con.close()
    assert cols[:2] == ["codigo_lancamento_integracao", "codigo_cliente_fornecedor_integracao"]
    assert len(cols) == 22


def test_report_rewrites_only_between_the_markers(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# B\n\nintro\n\n{bench_report.BEGIN}\nold figures\n{bench_report.END}\n\n"
                   f"# Hand-written\nkept\n")
    bench_report.write(doc, "new figures")
    text = doc.read_text()
    assert "old figures" not in text
    assert f"{bench_report.BEGIN}\nnew figures\n{bench_report.END}" in text
    assert text.startswith("# B\n\nintro\n") and text.endswith("# Hand-written\nkept\n")
