"""Ids never cross companies (issue 14): two Omie companies pushed from one dbt project into
one results file, with no dbt var set, as a new user would. Before the fix `omie_ids` gave the
latest id per integration code across companies, so a contrato pushed to one company carried
the other company's nCodCli ("Cliente não cadastrado para o Código [...]")."""
from __future__ import annotations

import pytest

from .conftest import BUDGETS, office

KEY_A, KEY_B = "4400000000101", "4400000000202"
SECRETS = {KEY_A: "leak-secret-a-never-printed", KEY_B: "leak-secret-b-never-printed"}
YML = """
target: a
targets:
  a:
    base_url: "{url}"
    app_key: "KEY_A"
    app_secret: "SECRET_A"
    max_attempts: 2
    BUDGETS
  b:
    base_url: "{url}"
    app_key: "KEY_B"
    app_secret: "SECRET_B"
    max_attempts: 2
    BUDGETS
""".replace("KEY_A", KEY_A).replace("KEY_B", KEY_B).replace("SECRET_A", SECRETS[KEY_A]) \
    .replace("SECRET_B", SECRETS[KEY_B]).replace("BUDGETS", BUDGETS)
CLIENT_VIEWS = ("--select", "+omie_clientes", "omie_clientes_associar")   # with their parents


@pytest.fixture(scope="module")
def two_companies(tmp_path_factory):
    with office(tmp_path_factory.mktemp("leak"), SECRETS, YML) as it:
        yield it


def test_a_contrato_gets_the_client_id_of_its_own_company(two_companies):
    it = two_companies
    for target in ("a", "b"):                       # b's ids are the latest in the ledger
        code, out, err = it.push(*CLIENT_VIEWS, target=target)
        assert code in (0, 1), err
        assert out["endpoints"]["omie_clientes"]["sent"] > 0, out
    a_ids, b_ids = it.clients(KEY_A), it.clients(KEY_B)
    differ = [k for k in a_ids if a_ids[k] != b_ids.get(k)]   # the demo's typed-in clients aside
    assert set(a_ids) == set(b_ids) and len(differ) >= 30

    code, out, err = it.push("--select", "+contratos", "--dry-run", target="a")
    dry = it.results("select payload from row_results where run_id = ? and view = 'omie_contratos' "
                     "and status = 'not_attempted'", out["run_id"])
    planned = {str(_ncodcli(p)) for (p,) in dry} - {"None"}
    assert planned and planned <= {str(v) for v in a_ids.values()}, "the plan names the other company's ids"

    code, out, err = it.push("--select", "+contratos", target="a")
    counts = out["endpoints"]["omie_contratos"]
    assert counts["sent"] > 0 and counts["failed"] == 0, out
    faults = it.results("select fault from row_results where run_id = ? and fault is not null",
                        out["run_id"])
    assert not any("não cadastrado" in (f or "") for (f,) in faults), faults
    listed = it.listing(KEY_A, "servicos/contrato/", "ListarContratos", "contratoCadastro")
    used = {r["cabecalho"]["nCodCli"] for r in listed}
    assert used and used <= set(a_ids.values())


def _ncodcli(payload: str):
    import json

    return (json.loads(payload).get("cabecalho") or {}).get("nCodCli")
