"""The App Secret never appears in anything a run leaves (issue 10, item 10): a good run, a
failing run (every call answered "Broken response"), a run that hits a bug (a traceback), a
dry run, a bad key's run; their stdout and stderr, `omie-push runs` / `show`, the results store
as bytes and dumped table by table as text, and dbt's target/ and logs/ after a build made
with the secret exported. The secret is distinctive, so a hit cannot be chance.

Not searched: the sandbox's own state file, which holds the account's secret as Omie does."""
from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from .conftest import KEY, ROOT, SECRET, dbt

FORMS = (SECRET, urllib.parse.quote(SECRET), SECRET.encode().hex())


def cli(*args: str) -> str:
    from omie_push.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args), standalone_mode=False)
        except SystemExit:
            pass
    return out.getvalue() + err.getvalue()


def results_as_text(path: Path) -> str:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()]
        return "\n".join(str(row) for t in tables for row in con.execute(f'select * from "{t}"').fetchall())
    finally:
        con.close()


def files_text(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_clean(where: str, data: str | bytes) -> None:
    for form in FORMS:
        needle = form.encode() if isinstance(data, bytes) else form
        assert needle not in data, f"the App Secret appears in {where}"


def test_the_secret_appears_nowhere(rig, tmp_path):
    from omie_push.sandbox.testing import serve

    outputs = {}
    dbt(rig.project, "build", "--select", "omie_clientes")       # the secret is exported
    outputs["good run"] = rig.push().stderr
    outputs["dry run"] = cli("--project-dir", str(rig.project), "--dry-run")
    with serve({KEY: SECRET}, state_path=tmp_path / "broken.sqlite",
               traffic={"limits": "off", "faults": "broken=1.0"}) as broken:
        rig.configure(broken)
        failing = rig.push("--select", "omie_clientes", "--full-refresh")
        assert failing.exit_code == 1 and failing.out["endpoints"]["omie_clientes"]["failed"] > 0
        outputs["failing run"] = failing.stderr

    async def bug(ctx, ep, prep, rep, sender):
        raise RuntimeError(f"a bug, with {ctx.settings!r} and {sender!r} in its message")

    rig.configure()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("omie_push.push.run.deliver", bug)
        crashed = cli("--project-dir", str(rig.project), "--select", "omie_categorias", "--full-refresh")
    assert "Traceback" in crashed and "a bug" in crashed
    outputs["traceback"] = crashed
    rig.configure(key="4400000000000")
    outputs["bad key"] = cli("--project-dir", str(rig.project))
    rig.configure()
    run_ids = [r for (r,) in rig.results("select run_id from runs")]
    assert len(run_ids) == 5
    outputs["runs"] = cli("runs", "--project-dir", str(rig.project), "--limit", "10")
    for run_id in run_ids:
        outputs[f"show {run_id}"] = cli("show", run_id, "--project-dir", str(rig.project))
    review = tmp_path / "review.html"
    exported = subprocess.run([str(Path(sys.executable).with_name("marimo")), "export", "html",
                               str(ROOT / "notebooks" / "review.py"), "-o", str(review), "--",
                               "--project-dir", str(rig.project)], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
    assert exported.returncode == 0, exported.stderr[-3000:]
    assert "omie_clientes" in review.read_text(encoding="utf-8")
    outputs["the review notebook's HTML export"] = review.read_text(encoding="utf-8")
    outputs["marimo's output"] = exported.stdout + exported.stderr
    for where, text in outputs.items():
        assert_clean(where, text)
    assert_clean("the results store as text", results_as_text(rig.project / "omie_results.duckdb"))
    for folder in ("target", "logs"):
        for where, data in files_text(rig.project / folder).items():
            assert_clean(where, data)
    for name in ("omie_results.duckdb", "warehouse.duckdb", "omie_push.yml"):
        assert_clean(name, (rig.project / name).read_bytes())
