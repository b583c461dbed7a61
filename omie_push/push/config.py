"""`omie_push.yml`: named targets shaped like dbt's profiles, resolved to `TargetSettings`.

    target: sandbox
    results_path: omie_results.duckdb        # relative to the dbt project
    targets:
      sandbox: {base_url: embedded, app_key: ..., app_secret: ...}
      omie:
        base_url: https://app.omie.com.br/api/v1
        app_key: "{{ env_var('OMIE_APP_KEY') }}"
        app_secret: "{{ env_var('OMIE_APP_SECRET') }}"

Secrets come through `{{ env_var('NAME') }}`, rendered here with a small regex (the only Jinja
this file needs) so a config error can name the file, the key and the variable to export,
and never the value.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..errors import UsageError

CONFIG_FILE = "omie_push.yml"
DEFAULT_RESULTS = "omie_results.duckdb"
ENV_VAR = re.compile(
    r"""\{\{\s*env_var\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*(?:,\s*['"]([^'"]*)['"]\s*)?\)\s*\}\}"""
)
# Keys of a target that map one-to-one onto TargetSettings (besides budgets).
SCALAR_KEYS = {
    "base_url": str, "app_key": str, "app_secret": str, "timeout_seconds": float,
    "max_attempts": int, "breaker_threshold": int, "lot_size": int,
    "associate_duplicates": bool, "sandbox_state": str, "sandbox_options": dict,
}


@dataclass(frozen=True)
class PushConfig:
    """The resolved configuration of one run."""

    path: Path                 # the omie_push.yml read (or where it would be)
    settings: Any              # TargetSettings of the chosen target
    results_path: Path


def render_env(text: str, where: str) -> str:
    """Replace `{{ env_var('NAME'[, 'default']) }}`; a missing variable is a usage error."""

    def value(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        raise UsageError(f"{where} needs the environment variable {name}, which is not set. "
                         f"Fix: export {name}=... before running omie-push.")

    rendered = ENV_VAR.sub(value, text)
    if "{{" in rendered:
        raise UsageError(f"{where}: only {{{{ env_var('NAME') }}}} is supported inside {{{{ }}}}.")
    return rendered


def _render_tree(node: Any, where: str) -> Any:
    if isinstance(node, str):
        return render_env(node, where)
    if isinstance(node, dict):
        return {k: _render_tree(v, f"{where}.{k}") for k, v in node.items()}
    if isinstance(node, list):
        return [_render_tree(v, f"{where}[{i}]") for i, v in enumerate(node)]
    return node


def load(project_dir: Path, target: str | None = None) -> PushConfig:
    """Read omie_push.yml from the dbt project and resolve one target."""
    import yaml

    path = Path(project_dir) / CONFIG_FILE
    if not path.exists():
        raise UsageError(f"{path} not found. Fix: create it with a `targets:` mapping "
                         f"(see dbt_project/omie_push.yml for an example).")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UsageError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("targets"), dict) or not raw["targets"]:
        raise UsageError(f"{path}: key `targets` must map target names to settings.")
    name = target or raw.get("target")
    if not name:
        raise UsageError(f"{path}: no target chosen. Fix: add `target: <name>` or pass --target.")
    if name not in raw["targets"]:
        known = ", ".join(sorted(raw["targets"]))
        raise UsageError(f"{path}: no target named {name!r} under `targets` (known: {known}).")
    settings = settings_from(raw["targets"][name], name, path, Path(project_dir))
    results = raw.get("results_path") or DEFAULT_RESULTS
    results_path = Path(render_env(str(results), f"{path}: results_path"))
    if not results_path.is_absolute():
        results_path = Path(project_dir) / results_path
    return PushConfig(path=path, settings=settings, results_path=results_path.resolve())


def settings_from(block: Any, name: str, path: Path, project_dir: Path):
    """One `targets.<name>` mapping -> TargetSettings, with every key checked."""
    from ..client.types import Budgets, TargetSettings

    where = f"{path}: targets.{name}"
    if not isinstance(block, dict):
        raise UsageError(f"{where} must be a mapping of settings.")
    allowed = set(SCALAR_KEYS) | {"budgets"}
    unknown = sorted(set(block) - allowed)
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}. Allowed: {', '.join(sorted(allowed))}.")
    for key in ("base_url", "app_key", "app_secret"):
        if not block.get(key):
            raise UsageError(f"{where}.{key} is missing or empty. Fix: set it (secrets as "
                             f"\"{{{{ env_var('OMIE_APP_SECRET') }}}}\").")
    values: dict[str, Any] = {}
    for key, kind in SCALAR_KEYS.items():
        if key in block and block[key] is not None:
            values[key] = _typed(_render_tree(block[key], f"{where}.{key}"), kind, f"{where}.{key}")
    values["base_url"] = values["base_url"].rstrip("/")
    if values["base_url"] != "embedded" and not values["base_url"].startswith(("http://", "https://")):
        raise UsageError(f"{where}.base_url must be `embedded` or an http(s) URL, "
                         f"e.g. https://app.omie.com.br/api/v1.")
    if "sandbox_state" in values and not Path(values["sandbox_state"]).is_absolute():
        values["sandbox_state"] = str((project_dir / values["sandbox_state"]).resolve())
    if "budgets" in block:
        values["budgets"] = _budgets(_render_tree(block["budgets"], f"{where}.budgets"), Budgets, where)
    return TargetSettings(name=name, **values)


def _budgets(block: Any, budgets_cls, where: str):
    if not isinstance(block, dict):
        raise UsageError(f"{where}.budgets must be a mapping.")
    known = {f.name: f.type for f in fields(budgets_cls)}
    unknown = sorted(set(block) - set(known))
    if unknown:
        raise UsageError(f"{where}.budgets: unknown key {unknown[0]!r}. Allowed: {', '.join(known)}.")
    values = {}
    for key, value in block.items():
        kind = float if key == "redundant_window_seconds" else int
        values[key] = _typed(value, kind, f"{where}.budgets.{key}")
    return budgets_cls(**values)


def _typed(value: Any, kind: type, where: str) -> Any:
    """Coerce a YAML value (maybe rendered from an env var, so text) to the setting's type."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        if str(value).lower() in {"true", "yes", "1"}:
            return True
        if str(value).lower() in {"false", "no", "0"}:
            return False
    elif kind is dict:
        if isinstance(value, dict):
            return value
    elif kind is str:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
    else:
        try:
            return kind(value)
        except (TypeError, ValueError):
            pass
    raise UsageError(f"{where} must be a {kind.__name__}.")


def results_path_of(project_dir: Path) -> Path:
    """Only the results file of omie_push.yml (for readers such as `omie-push validate`)."""
    import yaml

    path = Path(project_dir) / CONFIG_FILE
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    results = (raw or {}).get("results_path") or DEFAULT_RESULTS
    results_path = Path(render_env(str(results), f"{path}: results_path"))
    return (results_path if results_path.is_absolute() else Path(project_dir) / results_path).resolve()
