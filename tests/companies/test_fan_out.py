"""One target, three Omie companies, one clientes view naming each row's company (issue 14):
pushed at once to a sandbox serving the three over real HTTP, one company with a wrong secret.
Each company holds exactly its own rows (the same integration code in two companies is two
records), the wrong-secret company fails alone, and a second run sends nothing."""
from __future__ import annotations

import json

import pytest

from .offices import ACCOUNTS, MERCADO, OFICINA, PADARIA

def view_rows(it, company):
    import duckdb

    con = duckdb.connect(str(it.project / "warehouse.duckdb"), read_only=True)
    try:
        return {k for (k,) in con.execute("select codigo_cliente_integracao from main.omie_clientes "
                                          "where omie_company = ?", [company]).fetchall()}
    finally:
        con.close()


def ledger_keys(it, key):
    return {k for (k,) in it.results("select key from ledger where company = ? and endpoint = 'clientes'", key)}


def test_each_company_gets_its_own_rows_and_the_wrong_secret_fails_alone(three):
    it = three
    code, out, err = it.push("--select", "omie_clientes")
    assert "companies" in out, (out, err)
    companies = out["companies"]
    assert set(companies) == {"padaria", "oficina", "mercado"}
    assert code == 3, err                                   # the worst company's: mercado stopped
    assert companies["mercado"]["exit_code"] == 3 and "was refused" in companies["mercado"]["stopped"]
    assert companies["padaria"]["exit_code"] == 1 and companies["oficina"]["exit_code"] in (0, 1)
    # which Omie company each key is, checked before the first write
    assert companies["padaria"]["omie_company"]["razao_social"] == "Padaria Aurora Ltda"
    assert companies["oficina"]["omie_company"]["cnpj"] == "11.222.333/0001-81"
    assert companies["mercado"]["omie_company"] is None      # its key refused at the preflight
    for name, key in (("padaria", PADARIA), ("oficina", OFICINA)):
        held = it.clients(key)
        sent = ledger_keys(it, key)
        counts = companies[name]["endpoints"]["omie_clientes"]
        assert sent and set(held) - {"CLI-0501", "CLI-0502"} == sent, name   # exactly its rows
        assert sent <= view_rows(it, name) and counts["sent"] == len(sent), name
    assert ledger_keys(it, OFICINA) < ledger_keys(it, PADARIA)
    assert it.clients(PADARIA)["CLI-0001"] != it.clients(OFICINA)["CLI-0001"]   # two records
    assert not ledger_keys(it, MERCADO)
    assert not set(it.clients(MERCADO)) - {"CLI-0501", "CLI-0502"}
    # stopped at its preflight, before its views were read: nothing of it is planned or sent
    assert not companies["mercado"]["endpoints"].get("omie_clientes", {}).get("sent")
    # totals beside the companies
    total = out["endpoints"]["omie_clientes"]
    for status in ("sent", "rejected", "not_attempted"):
        assert total[status] == sum(c["endpoints"].get("omie_clientes", {}).get(status, 0)
                                    for c in companies.values())
    # the row naming no company of the target is rejected once, with that reason
    foreign = it.results("select run_id, reasons from row_results where key = 'CLI-0001' and status = 'rejected' "
                         "and reasons like '%omie_company%' and run_id like ?", out["run_id"] + "-%")
    assert len(foreign) == 1 and "padoca" in foreign[0][1]
    assert foreign[0][0] == companies["padaria"]["run_id"]
    runs = it.results("select company, options->>'company', outcome from runs where run_id like ?",
                      out["run_id"] + "-%")
    assert sorted(runs) == sorted([(PADARIA, "padaria", "finished with refused rows"),
                                   (OFICINA, "oficina", companies["oficina"]["outcome"]),
                                   (MERCADO, "mercado", "stopped")])

    code, again, err = it.push("--select", "omie_clientes")
    assert all(not c["endpoints"].get("omie_clientes", {}).get("sent") for c in again["companies"].values()), again
    assert again["endpoints"]["omie_clientes"]["unchanged"] == len(ledger_keys(it, PADARIA) | set()) \
        + len(ledger_keys(it, OFICINA))


def test_company_narrows_the_run(three):
    code, out, err = three.push("--select", "omie_clientes", "--company", "oficina", "--dry-run")
    assert set(out["companies"]) == {"oficina"}, err
    code, out, err = three.push("--select", "omie_clientes", "--company", "nope")
    assert code == 2 and "no such company" in err and "padaria, oficina, mercado" in err


def test_a_view_without_the_company_column_is_an_error_for_several_companies(three):
    code, out, err = three.push("--select", "omie_projetos", "--company", "padaria", "--company", "oficina")
    error = out["endpoints"]["omie_projetos"]["error"]
    assert code == 1 and "omie_company" in error and "3 companies" in error, out
    assert three.results("select count(*) from ledger where endpoint = 'projetos'") == [(0,)]


def test_the_text_output_lists_each_company(three):
    import contextlib
    import io

    from omie_push.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        with pytest.raises(SystemExit):
            main(["--project-dir", str(three.project), "--select", "omie_clientes", "--dry-run"],
                 standalone_mode=False)
    text = buffer.getvalue()
    assert "Companies:" in text and all(f"  {n}: " in text for n in ("padaria", "oficina", "mercado"))
    assert json.dumps(ACCOUNTS[PADARIA]["app_secret"])[1:-1] not in text


def test_validate_judges_a_many_company_view_company_by_company(three):
    from omie_push.dbt.project import DbtProject
    from omie_push.push.config import results_path_of
    from omie_push.validate.report import validate_project

    project = DbtProject(three.project)
    report = validate_project(project, results_path_of(three.project), ("omie_clientes",))
    assert not report.errors, report.errors
    views = {r.view: r for r in report.results}
    assert set(views) == {f"omie_clientes [{n}]" for n in ("mercado", "oficina", "padaria", "padoca")}
    assert views["omie_clientes [oficina]"].rows == 10
    assert "omie_company" not in views["omie_clientes [padaria]"].valid.columns


def test_debug_lists_which_omie_company_each_key_is(three, capsys):
    from omie_push.cli.debug import run_debug

    code = run_debug(str(three.project), as_json=True)
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert code == 2                                     # mercado's secret is wrong
    assert checks["Omie key (padaria)"]["ok"] and "Padaria Aurora Ltda" in checks["Omie key (padaria)"]["detail"]
    assert checks["Omie key (oficina)"]["ok"] and "11.222.333/0001-81" in checks["Omie key (oficina)"]["detail"]
    assert not checks["Omie key (mercado)"]["ok"]
