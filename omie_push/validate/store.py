"""Where the suites live (package data, `expectations/` at the repo root links here), writing
them, and reading them back as plain JSON. Nothing here imports GX."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import SuiteError

SUITES_DIR = Path(__file__).resolve().parent.parent / "expectations"


def suite_path(view_name: str, directory: Path = SUITES_DIR) -> Path:
    return directory / f"{view_name}.json"


def render(suite: dict) -> str:
    """The exact text a suite file holds (stable: sorted nowhere, indented, newline at the end)."""
    return json.dumps(suite, indent=2, ensure_ascii=True) + "\n"


def stale_files(suites: dict[str, dict], directory: Path = SUITES_DIR) -> list[str]:
    """Suite files that regenerating would create, change or delete."""
    stale = [name for name, suite in suites.items()
             if not suite_path(name, directory).exists()
             or suite_path(name, directory).read_text(encoding="utf-8") != render(suite)]
    extra = sorted(p.stem for p in directory.glob("*.json") if p.stem not in suites)
    return stale + extra


def write_all(suites: dict[str, dict], directory: Path = SUITES_DIR) -> list[str]:
    """Write every suite; remove suite files of views the catalog no longer has."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = stale_files(suites, directory)
    for name, suite in suites.items():
        suite_path(name, directory).write_text(render(suite), encoding="utf-8")
    for path in directory.glob("*.json"):
        if path.stem not in suites:
            path.unlink()
    return changed


def read_suite(view_name: str, directory: Path = SUITES_DIR) -> dict:
    """A suite file as JSON; a missing or unreadable file is a SuiteError naming the fix."""
    path = suite_path(view_name, directory)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SuiteError(f"{view_name}: no suite at {path}; run `omie-push expectations "
                         f"generate`") from None
    except (OSError, ValueError) as exc:
        raise SuiteError(f"{view_name}: the suite {path} does not load ({exc}); run "
                         f"`omie-push expectations generate` to rebuild it") from None
    if not isinstance(data, dict) or not isinstance(data.get("expectations"), list):
        raise SuiteError(f"{view_name}: the suite {path} has no list of expectations; run "
                         f"`omie-push expectations generate` to rebuild it")
    for i, exp in enumerate(data["expectations"]):
        if not (isinstance(exp, dict) and isinstance(exp.get("type"), str)
                and isinstance(exp.get("kwargs"), dict)):
            raise SuiteError(f"{view_name}: expectation #{i + 1} of {path} has no type or "
                             f"kwargs; run `omie-push expectations generate` to rebuild it")
    return data
