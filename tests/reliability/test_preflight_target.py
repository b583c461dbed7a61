"""Preflight (issue 10, case 6) and transport safety: before any view is read, one
ListarEmpresas proves the target answers and the key is valid, and names the company."""
from __future__ import annotations

import socket

from .conftest import KEY, SECRET


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_case6_an_unreachable_url_stops_in_seconds_naming_it(rig):
    """Case 6: a target on a wrong port used to mean 16.6 minutes of silence, then 63 rows
    `failed` with "connection lost: ConnectError", no URL named, exit 1."""
    url = f"http://127.0.0.1:{_closed_port()}/api/v1"
    rig.configure(url)
    run = rig.push()
    assert run.exit_code == 3, run.stderr
    assert run.seconds < 20
    assert url in run.out["stopped"] and "ConnectError" in run.out["stopped"]
    assert "Fix:" in run.out["stopped"]
    assert rig.results("select outcome, exit_code from runs") == [("stopped", 3)]
    assert rig.results("select count(*) from row_results") == [(0,)]


def test_a_bad_key_stops_the_run_naming_the_key_never_the_secret(rig):
    rig.configure(key="4400000000000")            # not an account of the sandbox
    run = rig.push()
    assert run.exit_code == 3
    assert "4400000000000" in run.out["stopped"] and "app_secret" in run.out["stopped"]
    assert SECRET not in run.out["stopped"] + run.stderr
    assert rig.results("select count(*) from row_results") == [(0,)]


def test_a_url_that_is_not_omie_stops_the_run(rig):
    rig.configure(rig.url.removesuffix("/api/v1") + "/nothing-here")
    run = rig.push()
    assert run.exit_code == 3 and "nothing-here" in run.out["stopped"], run.out


def test_a_good_target_names_its_company_and_goes_on(rig):
    answer = rig.omie("geral/empresas/", "ListarEmpresas", {"pagina": 1, "registros_por_pagina": 5})
    company = answer["empresas_cadastro"][0]
    run = rig.push("--select", "omie_categorias")
    assert run.exit_code == 0, run.out
    assert company["razao_social"] in run.out["company"] and company["cnpj"] in run.out["company"]
    assert f"app key {KEY} belongs to {company['razao_social']}" in run.stderr


def test_plain_http_to_another_host_is_refused_at_configuration(rig):
    rig.configure("http://omie.example.com/api/v1")
    run = rig.push()
    assert run.exit_code == 2
    assert "http://omie.example.com/api/v1" in run.stderr and "https://" in run.stderr
    assert not (rig.project / "omie_results.duckdb").exists() or \
        rig.results("select count(*) from runs") == [(0,)]


def test_right_after_a_push_the_preflight_waits_for_the_first_call(rig):
    """Within PREFLIGHT_LAZY_MINUTES of a push of the same company and URL: a run with nothing
    to write and no drift check due makes no call at all (issue 16), and one that writes
    meets the preflight before its first call: a key suspended since stops it there (exit 3),
    nothing written."""
    from omie_push.sandbox.testing import admin

    rig.configure(extra="    drift_check_minutes: 60\n")       # no drift check due either
    assert rig.push("--select", "omie_projetos").exit_code == 1     # the sample's bad row
    admin(rig.url, "suspend", KEY, SECRET)
    quiet = rig.push("--select", "omie_projetos")
    assert quiet.exit_code == 1 and "company" not in quiet.out, quiet.out
    assert quiet.out["endpoints"]["omie_projetos"]["unchanged"] > 0
    again = rig.push("--select", "omie_projetos", "--full-refresh", "--yes")   # all written again
    assert again.exit_code == 3, again.out
    assert KEY in again.out["stopped"] and SECRET not in again.out["stopped"] + again.stderr
    counts = again.out["endpoints"]["omie_projetos"]
    assert counts["sent"] == 0 and counts["not_attempted"] > 0, counts
    assert rig.results("select count(*) from intents where resolution is null") == [(0,)]
