"""`omie-push debug`: each check says OK or the fix; exit 0 or 2; --json. (All green after a real
`dbt build` is in test_init_newcomer.py.)"""
from __future__ import annotations

import json
import socket

from click.testing import CliRunner

from omie_push.cli import main
from omie_push.sandbox.testing import serve

TARGET = """
target: served
targets:
  served:
    base_url: {url}
    app_key: "7700000000001"
    app_secret: "{secret}"
    timeout_seconds: 5
"""


def debug(*args):
    done = CliRunner().invoke(main, ["debug", *args])
    return done.exit_code, done.output


def checks(output):
    return {c["name"]: c for c in json.loads(output)["checks"]}


def project(tmp_path, url, secret):
    (tmp_path / "dbt_project.yml").write_text("name: p\nprofile: p\n")
    (tmp_path / "profiles.yml").write_text("p:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: w.duckdb}\n")
    (tmp_path / "omie_push.yml").write_text(TARGET.format(url=url, secret=secret))
    return tmp_path


def test_no_project_is_exit_2_with_the_fix_and_the_rest_not_checked(tmp_path):
    code, out = debug("--project-dir", str(tmp_path), "--json")
    assert code == 2
    found = checks(out)
    assert not found["dbt project"]["ok"] and "--project-dir" in found["dbt project"]["fix"]
    assert found["Omie key"]["detail"].startswith("not checked")


def test_the_key_names_its_company_and_a_wrong_secret_says_what_to_check(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    accounts = {"7700000000001": {"app_secret": "right-secret", "razao_social": "Padaria Estrela Ltda"}}
    with serve(accounts) as url:
        project(tmp_path, url, "right-secret")
        code, out = debug("--json")
        found = checks(out)
        assert found["Omie key"]["ok"] and "Padaria Estrela Ltda" in found["Omie key"]["detail"]
        assert found["configuration"]["ok"] and found["profile"]["ok"]
        assert not found["last build"]["ok"] and "dbt build" in found["last build"]["fix"]
        assert code == 2
        project(tmp_path, url, "wrong-secret")
        code, out = debug()
    assert code == 2
    key_line = next(line for line in out.splitlines() if "Omie key" in line)
    assert "ERROR" in key_line
    assert "check app_key and app_secret" in out and "wrong-secret" not in out


def test_an_unreachable_url_and_a_missing_profiles_dir_each_say_the_fix(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]          # closed once the block ends: nothing listens there
    project(tmp_path, f"http://127.0.0.1:{port}/api/v1", "s3cret-value")
    code, out = debug("--project-dir", str(tmp_path), "--profiles-dir", str(tmp_path / "nope"), "--json")
    assert code == 2
    found = checks(out)
    assert "reachable" in found["Omie key"]["fix"]
    assert not found["profile"]["ok"] and "holds no profiles.yml" in found["profile"]["detail"]
    assert "s3cret-value" not in out
