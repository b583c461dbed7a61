"""`companies:` in omie_push.yml: each company's key and secret (through env_var), its own
options over the target's, and the errors that name the file, the key and the fix."""
from __future__ import annotations

import pytest

from omie_push.errors import UsageError
from omie_push.push import config

HEAD = """
target: office
targets:
  office:
    base_url: https://app.omie.com.br/api/v1
    max_attempts: 4
    budgets: {calls_per_minute_per_method: 200, calls_per_minute_per_ip: 900}
"""


def load(tmp_path, text):
    (tmp_path / "omie_push.yml").write_text(text)
    return config.load(tmp_path)


def test_companies_get_their_keys_secrets_and_own_options(tmp_path, monkeypatch):
    monkeypatch.setenv("PADARIA_SECRET", "s-padaria")
    monkeypatch.setenv("OFICINA_SECRET", "s-oficina")
    cfg = load(tmp_path, HEAD + """    companies:
      padaria: {app_key: "111", app_secret: "{{ env_var('PADARIA_SECRET') }}", cnpj: 11.444.777/0001-61}
      oficina:
        app_key: "222"
        app_secret: "{{ env_var('OFICINA_SECRET') }}"
        max_attempts: 2
        budgets: {calls_per_minute_per_method: 100}
""")
    padaria, oficina = cfg.companies
    assert (padaria.name, padaria.settings.app_key, padaria.settings.app_secret) == ("padaria", "111", "s-padaria")
    assert padaria.cnpj == "11444777000161" and oficina.cnpj is None
    assert (padaria.settings.max_attempts, oficina.settings.max_attempts) == (4, 2)
    assert padaria.settings.budgets.calls_per_minute_per_method == 200
    assert oficina.settings.budgets.calls_per_minute_per_method == 100
    assert oficina.settings.budgets.calls_per_minute_per_ip == 900      # the target's
    assert cfg.many and cfg.settings == padaria.settings
    assert cfg.accounts() == {"111": "s-padaria", "222": "s-oficina"}
    assert "s-padaria" not in repr(cfg)


def test_the_single_form_is_one_company_named_by_the_target_or_company(tmp_path):
    text = HEAD.replace("max_attempts: 4", 'app_key: "1"\n    app_secret: "{{ env_var(\'S\', \'x\') }}"')
    cfg = load(tmp_path, text)
    assert [c.name for c in cfg.company_list()] == ["office"] and not cfg.many
    cfg = load(tmp_path, text + "    company: vertice\n")
    assert cfg.companies[0].name == "vertice"


@pytest.mark.parametrize("companies, expected", [
    ('      padaria: {app_key: "1", app_secret: "written-here"}\n', "must never be committed"),
    ('      padaria: {app_key: "1"}\n', "companies.padaria.app_secret is missing"),
    ('      padaria: {app_key: "1", app_secret: "{{ env_var(\'S\', \'x\') }}"}\n'
     '      oficina: {app_key: "1", app_secret: "{{ env_var(\'S\', \'x\') }}"}\n', "one app key is one Omie company"),
    ('      padaria: {app_key: "1", app_secret: "{{ env_var(\'S\', \'x\') }}", base_url: x}\n', "unknown key 'base_url'"),
    ('      "pada ria": {app_key: "1", app_secret: "{{ env_var(\'S\', \'x\') }}"}\n', "is not a company name"),
    ('      padaria: {app_key: "1", app_secret: "{{ env_var(\'S\', \'x\') }}",\n'
     '                budgets: {calls_per_minute_per_ip: 10}}\n', "set it on the target"),
    ('      padaria: {app_key: "1", app_secret: "{{ env_var(\'S\', \'x\') }}", cnpj: "123"}\n', "is not a CNPJ"),
])
def test_bad_companies_are_clear_errors(tmp_path, companies, expected):
    with pytest.raises(UsageError) as caught:
        load(tmp_path, HEAD + "    companies:\n" + companies)
    assert expected in str(caught.value) and "written-here" not in str(caught.value)


def test_companies_and_a_top_level_key_do_not_mix(tmp_path):
    text = HEAD + '    app_key: "9"\n    companies:\n      a: {app_key: "1", app_secret: "{{ env_var(\'S\', \'x\') }}"}\n'
    with pytest.raises(UsageError, match="app_key beside `companies:`"):
        load(tmp_path, text)


def test_the_embedded_sandbox_serves_every_company(tmp_path):
    cfg = load(tmp_path, """
targets:
  office:
    base_url: embedded
    companies:
      a: {app_key: "1", app_secret: "sa"}
      b: {app_key: "2", app_secret: "sb"}
target: office
""")
    assert cfg.sandbox is not None and cfg.accounts() == {"1": "sa", "2": "sb"}
    from omie_push.cli.sandbox import where

    (tmp_path / "dbt_project.yml").write_text("name: x\nprofile: x\n")
    assert sorted(where(str(tmp_path), None, None).accounts) == ["1", "2"]   # sandbox serve


def test_company_narrows_and_names_what_is_unknown(tmp_path):
    from omie_push.push.companies import chosen_companies

    cfg = load(tmp_path, HEAD + """    companies:
      a: {app_key: "1", app_secret: "{{ env_var('S', 'x') }}"}
      b: {app_key: "2", app_secret: "{{ env_var('S', 'x') }}"}
""")
    assert [c.name for c in chosen_companies(cfg, ("b",))] == ["b"]
    assert [c.name for c in chosen_companies(cfg)] == ["a", "b"]
    with pytest.raises(UsageError, match="its companies: a, b"):
        chosen_companies(cfg, ("c",))
