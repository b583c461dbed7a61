"""A small project pushed for real: a hand-made dbt project (tests/push/conftest.py's
FakeDbtProject: dbt's artifacts and a DuckDB warehouse), the embedded Omie sandbox as the
target, and two pushes through the command line, so the results hold every status the review
shows: sent, rejected (validation), failed (Omie's own duplicate-CNPJ fault), held, unchanged,
and rows refused on both runs."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from omie_push.cli import main
from push.conftest import FakeDbtProject

KEY, SECRET = "7700000000019", "review-secret-never-shown"
CONFIG = f"""
target: sandbox
targets:
  sandbox:
    base_url: embedded
    app_key: "{KEY}"
    app_secret: "{SECRET}"
    sandbox_state: .omie-sandbox/state.sqlite
    sandbox_options: {{limits: "off"}}
    max_attempts: 2
    budgets: {{calls_per_minute_per_method: 60000, calls_per_minute_per_ip: 240000,
               redundant_window_seconds: 0.05}}
"""
# C-3 carries C-1's CNPJ: Omie (the sandbox) refuses it as a duplicate; C-4's e-mail fails
# validation; R-3 names C-3, so it is held.
CLIENTES = """select * from (values
  ('C-1', 'Alfa Comercio Ltda', '11.444.777/0001-61', 'contas@alfa.com.br'),
  ('C-2', 'Beta Servicos Ltda', '41.627.758/4553-09', 'contas@beta.com.br'),
  ('C-3', 'Alfa Filial Ltda', '11.444.777/0001-61', 'filial@alfa.com.br'),
  ('C-4', 'Gama Ltda', '56.164.488/6355-50', 'not-an-address')
  ) t(codigo_cliente_integracao, razao_social, cnpj_cpf, email)"""
RECEBER = """select * from (values
  ('R-3', 'C-3', date '2030-01-10', 100.50::decimal(15,2), '1.01.02', 4850011001)
  ) t(codigo_lancamento_integracao, codigo_cliente_fornecedor_integracao, data_vencimento,
      valor_documento, codigo_categoria, id_conta_corrente)"""


@dataclass
class Pushed:
    project: FakeDbtProject
    outputs: list[dict]          # each push's --json output

    @property
    def root(self) -> Path:
        return self.project.root

    def cli(self, *args: str):
        result = CliRunner().invoke(main, [*args, "--project-dir", str(self.root)])
        assert SECRET not in result.output
        return result

    def push(self, *args: str) -> dict:
        result = self.cli("push", "--json", *args)
        assert result.exit_code in (0, 1), result.output
        return json.loads(result.stdout)


def make_project(root: Path) -> FakeDbtProject:
    project = FakeDbtProject(root)
    (root / "omie_push.yml").write_text(CONFIG)
    project.model("omie_clientes", CLIENTES, "clientes")
    project.model("omie_contas_receber", RECEBER, "contas_receber")
    return project


def pushed_twice(root: Path) -> Pushed:
    done = Pushed(make_project(root), [])
    done.outputs.append(done.push())
    # C-3's refusal is permanent: only asked to does a run send it again (issue 10, item 5)
    done.outputs.append(done.push("--retry-refused"))
    return done


@pytest.fixture(autouse=True, scope="session")
def _clean_env():
    with pytest.MonkeyPatch.context() as patch:
        for name in ("DBT_PROJECT_DIR", "DBT_PROFILES_DIR", "DBT_TARGET", "OMIE_PUSH_PROJECT_DIR"):
            patch.delenv(name, raising=False)
        yield


@pytest.fixture(scope="session")
def pushed(tmp_path_factory, _clean_env) -> Pushed:
    """Pushed twice; tests that only read share it (a test that writes takes `fresh`)."""
    return pushed_twice(tmp_path_factory.mktemp("review") / "proj")


@pytest.fixture
def fresh(tmp_path, _clean_env) -> Pushed:
    """Pushed twice, for a test that changes the project."""
    return pushed_twice(tmp_path / "proj")
