"""When a push must show its plan and ask before sending: the first push to a company (no ledger
entry for its key yet) or a --full-refresh, to a target that is not the embedded sandbox. The
asking itself (on a terminal only, `--yes` to skip) is the command line's."""
from __future__ import annotations

from pathlib import Path


def reason_to_ask(config, full_refresh: bool, dry_run: bool) -> str | None:
    """Why this run should be confirmed first, or None."""
    if dry_run or config.sandbox is not None:
        return None
    company = config.settings.app_key
    if full_refresh:
        return (f"--full-refresh sends every valid row to {config.settings.base_url} again, "
                f"changed or not")
    if not has_ledger(config.results_path, company):
        return (f"this is the first push to the Omie company of app_key {company} "
                f"({config.settings.base_url}): every valid row will be written there")
    return None


def has_ledger(results_path: Path, company: str) -> bool:
    """Whether Omie accepted anything from this company before (the results read-only, closed)."""
    import duckdb

    if not Path(results_path).exists():
        return False
    con = duckdb.connect(str(results_path), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if "ledger" not in tables:
            return False
        return bool(con.execute("select count(*) from ledger where company = ?", [company]).fetchone()[0])
    finally:
        con.close()
