"""A push to three companies in-process, Omie faked at the transport: one company blocked
(HTTP 425), one unreachable, one fine. Each fails alone; the exit code is the worst company's;
the JSON gives each company's counts beside the totals."""
from __future__ import annotations

import json

import duckdb
import httpx

from omie_push.client import make_sender

from fake_omie import MISUSE, FakeOmie, Scripted

OFFICE = """
target: office
targets:
  office:
    base_url: embedded
    max_attempts: 2
    budgets: {calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000,
              redundant_window_seconds: 0.01}
    companies:
      boa: {app_key: k-boa, app_secret: s-boa}
      bloqueada: {app_key: k-bloq, app_secret: s-bloq}
      fora: {app_key: k-fora, app_secret: s-fora, timeout_seconds: 1}
"""
CLIENTES = """select * from (values
  ('C-1', 'Alfa Ltda', '11.444.777/0001-61', 'boa'),
  ('C-2', 'Beta Ltda', '11.222.333/0001-81', 'boa'),
  ('C-1', 'Alfa Ltda', '11.444.777/0001-61', 'bloqueada'),
  ('C-1', 'Alfa Ltda', '11.444.777/0001-61', 'fora')
  ) t(codigo_cliente_integracao, razao_social, cnpj_cpf, omie_company)"""


def unreachable(request):
    raise httpx.ConnectError("connection refused")


def test_a_blocked_and_an_unreachable_company_fail_alone(fake_project, capsys):
    from omie_push.cli import push as command

    (fake_project.root / "omie_push.yml").write_text(OFFICE)
    fake_project.model("omie_clientes", CLIENTES, "clientes")
    good, blocked = FakeOmie(), FakeOmie()
    blocked.script("UpsertCliente", Scripted(425, MISUSE))
    transports = {"k-boa": httpx.MockTransport(good), "k-bloq": httpx.MockTransport(blocked),
                  "k-fora": httpx.MockTransport(unreachable)}

    def factory(settings):
        return make_sender(settings, transport=transports[settings.app_key])

    code = command.run_push(project_dir=str(fake_project.root), as_json=True, sender_factory=factory)
    out = json.loads(capsys.readouterr().out)
    companies = out["companies"]
    assert code == 3                                            # the worst: bloqueada stopped
    assert companies["boa"]["endpoints"]["omie_clientes"]["sent"] == 2 and companies["boa"]["exit_code"] == 0
    assert companies["bloqueada"]["exit_code"] == 3 and "425" in companies["bloqueada"]["stopped"]
    # unreachable: the preflight stops it in seconds (issue 10, case 6), the others go on
    assert companies["fora"]["exit_code"] == 3 and "does not answer" in companies["fora"]["stopped"]
    assert out["endpoints"]["omie_clientes"]["sent"] == 2
    # (a fresh results store looks its first row up first: a lost ledger is said aloud)
    assert sorted(c for c, _ in good.made if not c.startswith("Consultar")) == ["UpsertCliente", "UpsertCliente"]
    con = duckdb.connect(str(fake_project.root / "omie_results.duckdb"), read_only=True)
    try:
        ledger = con.execute("select company, key from ledger order by 1, 2").fetchall()
        runs = con.execute("select company, outcome from runs order by 1").fetchall()
    finally:
        con.close()
    assert ledger == [("k-boa", "C-1"), ("k-boa", "C-2")]
    assert runs == [("k-bloq", "stopped"), ("k-boa", "success"), ("k-fora", "stopped")]
