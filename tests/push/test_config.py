"""omie_push.yml: targets, env_var rendering, errors that name the file, key and fix."""
import asyncio
from pathlib import Path

import pytest

from omie_push.errors import UsageError
from omie_push.push import config

SECRET = "s3cr3t-never-shown"

YML = """
target: sandbox
results_path: out/results.duckdb
targets:
  sandbox:
    base_url: embedded
    app_key: sandbox-key
    app_secret: sandbox-secret
    sandbox_state: .omie-sandbox/state.sqlite
    lot_size: 10
    budgets: {calls_per_minute_per_method: 600}
  omie:
    base_url: https://app.omie.com.br/api/v1/
    app_key: "{{ env_var('OMIE_APP_KEY') }}"
    app_secret: "{{ env_var('OMIE_APP_SECRET') }}"
    associate_duplicates: "{{ env_var('OMIE_ASSOC', 'true') }}"
"""


def write(tmp_path: Path, text: str = YML) -> Path:
    (tmp_path / "omie_push.yml").write_text(text)
    return tmp_path


def test_default_target_resolves_paths_and_options(tmp_path):
    cfg = config.load(write(tmp_path))
    s = cfg.settings
    assert (s.name, cfg.base_url, s.app_key, s.lot_size) == ("sandbox", "embedded", "sandbox-key", 10)
    assert cfg.sandbox.state == str((tmp_path / ".omie-sandbox/state.sqlite").resolve())
    assert s.budgets.calls_per_minute_per_method == 600
    assert s.budgets.calls_per_minute_per_ip == 960          # untouched default
    assert cfg.results_path == (tmp_path / "out/results.duckdb").resolve()


def test_env_vars_are_rendered_and_secret_stays_out_of_repr(tmp_path, monkeypatch):
    monkeypatch.setenv("OMIE_APP_KEY", "123")
    monkeypatch.setenv("OMIE_APP_SECRET", SECRET)
    s = config.load(write(tmp_path), target="omie").settings
    assert (s.app_key, s.app_secret, s.associate_duplicates) == ("123", SECRET, True)
    assert s.base_url == "https://app.omie.com.br/api/v1"
    assert SECRET not in repr(s)


def test_missing_env_var_names_file_key_and_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("OMIE_APP_KEY", "123")
    monkeypatch.delenv("OMIE_APP_SECRET", raising=False)
    with pytest.raises(UsageError) as err:
        config.load(write(tmp_path), target="omie")
    text = str(err.value)
    assert "omie_push.yml" in text and "targets.omie.app_secret" in text
    assert "export OMIE_APP_SECRET" in text


@pytest.mark.parametrize("text, needle", [
    ("targets: {}", "targets"),
    ("target: nope\ntargets: {a: {base_url: embedded, app_key: k, app_secret: s}}", "no target named 'nope'"),
    ("target: a\ntargets: {a: {base_url: embedded, app_key: k, app_secret: s, colour: red}}", "unknown key 'colour'"),
    ("target: a\ntargets: {a: {base_url: ftp://x, app_key: k, app_secret: s}}", "base_url"),
    ("target: a\ntargets: {a: {base_url: embedded, app_key: k}}", "targets.a.app_secret is missing"),
    ("target: a\ntargets: {a: {base_url: embedded, app_key: k, app_secret: s, lot_size: many}}", "lot_size must be a int"),
])
def test_config_errors_are_usage_errors_naming_the_key(tmp_path, text, needle):
    with pytest.raises(UsageError, match="omie_push.yml") as err:
        config.load(write(tmp_path, text))
    assert needle in str(err.value)


def test_bad_secret_type_error_does_not_echo_the_value(tmp_path):
    text = f"target: a\ntargets: {{a: {{base_url: embedded, app_key: k, app_secret: [{SECRET}]}}}}"
    with pytest.raises(UsageError) as err:
        config.load(write(tmp_path, text))
    assert SECRET not in str(err.value)


def test_missing_file_says_how_to_fix(tmp_path):
    with pytest.raises(UsageError, match="omie_push.yml not found"):
        config.load(tmp_path)


def test_an_embedded_target_talks_to_the_sandbox_in_process(tmp_path):
    """The config, not the Omie client, turns `base_url: embedded` into a transport."""
    from omie_push.client.plan import nominal_latency
    from omie_push.client.transport import make_client, post

    text = ("target: a\ntargets: {a: {base_url: embedded, app_key: emb-key, app_secret: emb-secret,"
            " sandbox_state: state.sqlite, sandbox_fixtures: demo,"
            " sandbox_options: {limits: 'off', latency_ms: 20-40}}}")
    cfg = config.load(write(tmp_path, text))
    assert cfg.sandbox.state == str((tmp_path / "state.sqlite").resolve())
    assert nominal_latency(cfg.settings) == pytest.approx(0.03)

    async def go():
        async with make_client(cfg.settings, cfg.transport()) as client:
            return await post(client, cfg.settings, "geral/clientes/", "ConsultarCliente",
                              {"codigo_cliente_omie": 5500000101})

    answer = asyncio.run(go())
    assert answer.status_code == 200 and answer.body["razao_social"] == "Padaria Pão Quente Ltda"


def test_a_real_target_has_no_transport_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("OMIE_APP_KEY", "123")
    monkeypatch.setenv("OMIE_APP_SECRET", SECRET)
    cfg = config.load(write(tmp_path), target="omie")
    assert cfg.sandbox is None and cfg.transport() is None


def test_a_literal_secret_for_real_omie_is_refused_with_the_fix(tmp_path):
    text = (f"target: a\ntargets: {{a: {{base_url: 'https://app.omie.com.br/api/v1', app_key: k, "
            f"app_secret: {SECRET}}}}}")
    with pytest.raises(UsageError) as err:
        config.load(write(tmp_path, text))
    assert "env_var('OMIE_APP_SECRET')" in str(err.value) and SECRET not in str(err.value)


@pytest.mark.parametrize("url", ["embedded", "http://127.0.0.1:8765/api/v1", "http://localhost:9/api/v1"])
def test_a_literal_secret_is_fine_for_a_sandbox(tmp_path, url):
    cfg = config.load(write(tmp_path, f"target: a\ntargets: {{a: {{base_url: '{url}', app_key: k, "
                                      f"app_secret: sandbox-secret}}}}"))
    assert cfg.settings.app_secret == "sandbox-secret"


def test_unquoted_jinja_says_to_quote_it(tmp_path):
    text = "target: a\ntargets:\n  a:\n    base_url: embedded\n    app_key: k\n    app_secret: {{ env_var('X') }}\n"
    with pytest.raises(UsageError) as err:
        config.load(write(tmp_path, text))
    assert "quote" in str(err.value) and 'app_secret: "{{ env_var(\'X\') }}"' in str(err.value)


def test_sandbox_fixtures_are_named_sets_and_none_by_default(tmp_path):
    cfg = config.load(write(tmp_path))
    assert cfg.sandbox.fixtures == ()           # a new company is empty, as a new Omie app
    text = ("target: a\ntargets: {a: {base_url: embedded, app_key: k, app_secret: s,"
            " sandbox_fixtures: [demo]}}")
    assert config.load(write(tmp_path, text)).sandbox.fixtures == ("demo",)
    bad = text.replace("[demo]", "demos")
    with pytest.raises(UsageError, match=r"targets\.a\.sandbox_fixtures: unknown sandbox fixture set 'demos'"):
        config.load(write(tmp_path, bad))


def test_an_embedded_target_without_state_keeps_its_records_in_the_project(tmp_path):
    text = "target: a\ntargets: {a: {base_url: embedded, app_key: k, app_secret: s}}"
    cfg = config.load(write(tmp_path, text))
    assert cfg.sandbox.state == str((tmp_path / ".omie-sandbox/state.sqlite").resolve())


def test_the_embedded_target_a_served_sandbox_shares(tmp_path, monkeypatch):
    monkeypatch.setenv("OMIE_APP_KEY", "123")
    monkeypatch.setenv("OMIE_APP_SECRET", SECRET)
    assert config.embedded_target(write(tmp_path)).settings.name == "sandbox"     # the default
    other_default = YML.replace("target: sandbox", "target: omie")
    assert config.embedded_target(write(tmp_path, other_default)).settings.name == "sandbox"  # the only one
    with pytest.raises(UsageError, match="'omie' is not `base_url: embedded`"):
        config.embedded_target(write(tmp_path), "omie")
    none = "target: omie\ntargets: {omie: {base_url: 'https://x/api/v1', app_key: k, app_secret: s}}"
    assert config.embedded_target(write(tmp_path, none)) is None
