"""Omie's misuse window across runs (issue 10, case 7), against the sandbox served with Omie's
real limits (10 errored calls of a method within 30 minutes block it; only the REDUNDANT window
is shortened, so the test need not wait a minute to repeat a request): a cron pushing every few
minutes must never walk into the block."""
from __future__ import annotations

import json

import pytest

from push.conftest import FakeDbtProject

from .conftest import KEY, SECRET, SECRET_ENV, Rig

ALFA, BETA, GAMA = "11.444.777/0001-61", "11.222.333/0001-81", "45.997.418/0001-53"


def yml(url: str) -> str:
    return (f"target: rel\ntargets:\n  rel:\n    base_url: {url}\n    app_key: \"{KEY}\"\n"
            f"    app_secret: \"{{{{ env_var('{SECRET_ENV}') }}}}\"\n    max_attempts: 2\n"
            # the sandbox's REDUNDANT window is shortened to 0.5 s: the client's follows it
            f"    budgets: {{redundant_window_seconds: 0.5}}\n")


def clientes(suffix: str = "") -> str:
    return f"""select * from (values
      ('C-OK', 'Cliente Valido Ltda', '{GAMA}', 'Valido'),
      ('C-DUP1', 'Duplicado Um Ltda', '{ALFA}', 'Dup um{suffix}'),
      ('C-DUP2', 'Duplicado Dois Ltda', '{BETA}', 'Dup dois{suffix}')
      ) t(codigo_cliente_integracao, razao_social, cnpj_cpf, nome_fantasia)"""


@pytest.fixture
def cron(tmp_path):
    """A project with one client view; the sandbox (real limits) already holds two clients
    typed in Omie's screens with the CNPJs of two of its rows, which Omie then refuses."""
    from omie_push.sandbox.testing import serve

    project = FakeDbtProject(tmp_path / "proj")
    project.model("omie_clientes", clientes(), "clientes")
    with serve({KEY: SECRET}, state_path=tmp_path / "sandbox.sqlite",
               traffic={"limits": "real", "redundant_window_s": 0.5}) as url:
        (project.root / "omie_push.yml").write_text(yml(url))
        rig = Rig(project.root, url)
        for code, cnpj in (("TYPED-1", ALFA), ("TYPED-2", BETA)):
            rig.omie("geral/clientes/", "UpsertCliente", {"codigo_cliente_integracao": code,
                                                          "razao_social": f"{code} Ltda", "cnpj_cpf": cnpj})
        yield project, rig


def upsert_refusals(rig) -> list:
    return rig.results("select count(*) from row_results where endpoint = 'clientes' "
                       "and status = 'failed'")[0][0]


def test_case7_a_refused_unchanged_row_is_not_sent_again_on_every_run(cron):
    """Case 7: every run used to send the two refused rows again, two more errors in Omie's
    30-minute window each time: the sixth run of a 5-minute cron met the block (exit 3)."""
    project, rig = cron
    codes = []
    for _ in range(6):
        run = rig.push()
        codes.append(run.exit_code)
        assert "stopped" not in run.out, run.out
    assert codes == [1] * 6
    assert upsert_refusals(rig) == 2            # Omie saw two refusals in all
    held = rig.results("select note from row_results where key = 'C-DUP1' and status = 'held'")
    assert len(held) == 5 and "refused this same row" in held[0][0] and "--retry-refused" in held[0][0]
    # the method is not blocked: a new client goes in
    assert rig.omie("geral/clientes/", "UpsertCliente", {"codigo_cliente_integracao": "C-NEW",
                                                         "razao_social": "Novo Ltda"})["codigo_cliente_omie"]
    # asked to, it sends them again (and Omie refuses them again)
    again = rig.push("--retry-refused")
    assert again.out["endpoints"]["omie_clientes"]["failed"] == 2
    # a changed row is sent again without being asked
    project.model("omie_clientes", clientes(" (corrigido)"), "clientes")
    changed = rig.push()
    assert changed.out["endpoints"]["omie_clientes"]["failed"] == 2 and upsert_refusals(rig) == 6


def test_case7_breakers_start_from_the_refusals_of_earlier_runs(cron):
    """Rows that change on every run and are refused every time: the breaker of UpsertCliente
    starts from the refusals of the last 30 minutes, so the run that would reach Omie's 10th
    error sends nothing and says why, instead of walking into the 30-minute block."""
    project, rig = cron
    outcomes = []
    for n in range(6):
        project.model("omie_clientes", clientes(f" v{n}"), "clientes")
        run = rig.push()
        outcomes.append(run.out["endpoints"]["omie_clientes"])
        assert "stopped" not in run.out or "breaker" in json.dumps(run.out), run.out
    assert upsert_refusals(rig) <= 8                  # Omie blocks at 10
    last = outcomes[-1]
    assert last["failed"] == 0 and last["not_attempted"] == 2, outcomes
    note = rig.results("select note from row_results where key = 'C-DUP1' order by recorded_at desc "
                       "limit 1")[0][0]
    assert "earlier runs included" in note
    # the method is still open at Omie
    assert rig.omie("geral/clientes/", "UpsertCliente", {"codigo_cliente_integracao": "C-NEW",
                                                         "razao_social": "Novo Ltda"})["codigo_cliente_omie"]


@pytest.mark.parametrize("fault, faultcode, is_counted, is_permanent", [
    ("ERROR: O preenchimento da tag [email] é obrigatório!", "SOAP-ENV:Client-102", True, True),
    ("ERROR: Cliente já cadastrado para o CPF/CNPJ [1] com o Id [2] !", "SOAP-ENV:Client-102", True, True),
    ("ERROR: Já existe uma requisição desse método sendo executada", "SOAP-ENV:Client-1880", True, False),
    ("SOAP-ERROR: Broken response from Application Server (BG)", "SOAP-ENV:Server", False, False),
    ("ERROR: Consumo redundante detectado. Aguarde 16 segundos (REDUNDANT).", "SOAP-ENV:Client-6", False, False),
    ("connection lost: ConnectError", None, False, False),
    ("timeout: ReadTimeout", None, False, False),
    ("HTTP 502: <html>Bad Gateway</html>", None, False, False),
])
def test_which_recorded_failures_count_and_which_wait_for_a_change(fault, faultcode, is_counted,
                                                                   is_permanent):
    """Transient failures are retried on every run and never start a breaker; Omie's refusals
    of the row count in its window and wait for the row to change."""
    from omie_push.push.refusals import counted, permanent

    assert counted(fault, faultcode) is is_counted
    assert permanent(fault, faultcode) is is_permanent
