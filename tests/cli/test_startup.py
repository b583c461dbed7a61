"""`omie-push --help` must answer at once: nothing heavy may be imported on that path."""
from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["great_expectations", "dbt", "pandas", "duckdb", "polars", "pyarrow", "httpx",
         "starlette", "uvicorn", "rich", "marimo", "validate_docbr", "tenacity", "aiolimiter"]

PROBE = """
import json, sys
from click.testing import CliRunner
from omie_push.cli import main
for args in (["--help"], ["catalog"], ["sandbox", "--help"], ["validate", "--help"],
             ["expectations", "--help"]):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, (args, result.output)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_help_imports_nothing_heavy():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_probe_would_see_a_heavy_import():
    """The check above can fail: importing a heavy module shows up in the same probe."""
    probe = PROBE.replace("from omie_push.cli import main", "from omie_push.cli import main\nimport polars")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "polars" in json.loads(out.stdout)
