"""`omie_push.yml`: named targets shaped like dbt's profiles, resolved to a `PushConfig`.

    target: sandbox
    results_path: omie_results.duckdb        # relative to the dbt project
    targets:
      sandbox: {base_url: embedded, app_key: ..., app_secret: ..., sandbox_state: ...,
                sandbox_fixtures: demo}
      omie:
        base_url: https://app.omie.com.br/api/v1
        app_key: "{{ env_var('OMIE_APP_KEY') }}"
        app_secret: "{{ env_var('OMIE_APP_SECRET') }}"

Secrets come through `{{ env_var('NAME') }}` (omie_push.dbt.render), so a config error can name
the file, the key and the variable to export, and never the value. `base_url: embedded` is the
Omie sandbox in-process: this module is where the target becomes a transport to it, so the
Omie client below never knows the simulator exists.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..client.types import Budgets, TargetSettings
from ..dbt.render import render, render_tree
from ..errors import UsageError

CONFIG_FILE = "omie_push.yml"
DEFAULT_RESULTS = "omie_results.duckdb"
EMBEDDED = "embedded"
EMBEDDED_ROOT = "http://omie-sandbox.embedded/api/v1"
# Keys of a target that map one-to-one onto TargetSettings (besides budgets).
SETTINGS_KEYS = {
    "base_url": str, "app_key": str, "app_secret": str, "timeout_seconds": float,
    "max_attempts": int, "breaker_threshold": int, "lot_size": int,
    "associate_duplicates": bool, "max_deletes": int,
}
SANDBOX_KEYS = {"sandbox_state": str, "sandbox_options": dict}
DEFAULT_SANDBOX_STATE = ".omie-sandbox/state.sqlite"   # in the project; `sandbox serve` uses it too


@dataclass(frozen=True)
class EmbeddedSandbox:
    """An embedded target's sandbox: its state file, its traffic options (limits, latency,
    faults, seed: `TrafficConfig.parse`) and the fixture sets its company starts with."""

    state: str
    options: dict[str, Any] = field(default_factory=dict)
    fixtures: tuple[str, ...] = ()


@dataclass(frozen=True)
class PushConfig:
    """The resolved configuration of one run."""

    path: Path                 # the omie_push.yml read (or where it would be)
    settings: TargetSettings   # the chosen target; base_url is the API root calls go to
    results_path: Path
    sandbox: EmbeddedSandbox | None = None   # set for `base_url: embedded`
    base_url: str = ""         # as written in omie_push.yml (`embedded` or a URL)

    def transport(self):
        """The httpx transport calls go through: the in-process sandbox for an embedded target,
        else None (real HTTP)."""
        if self.sandbox is None:
            return None
        from ..sandbox.embedded import asgi_transport

        Path(self.sandbox.state).parent.mkdir(parents=True, exist_ok=True)
        return asgi_transport(self.sandbox.state, {self.settings.app_key: self.settings.app_secret},
                              fixtures=self.sandbox.fixtures, **self.sandbox.options)


def _read(project_dir: Path) -> tuple[Path, dict]:
    import yaml

    path = Path(project_dir) / CONFIG_FILE
    if not path.exists():
        raise UsageError(f"{path} not found. Fix: create it with a `targets:` mapping "
                         f"(see dbt_project/omie_push.yml for an example).")
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise UsageError(f"{path} is not valid YAML: {exc}{_jinja_hint(text)}") from None
    if not isinstance(raw, dict):
        raise UsageError(f"{path}: key `targets` must map target names to settings.")
    return path, raw


def _jinja_hint(text: str) -> str:
    """YAML reads an unquoted `{{ ... }}` as a mapping ("found unhashable key"): say to quote it."""
    unquoted = re.search(r"^\s*([\w-]+):\s*(\{\{.*\}\})\s*$", text, re.M)
    if not unquoted:
        return ""
    key, value = unquoted.groups()
    return (f"\nFix: quote the template, or YAML reads it as a mapping: "
            f"{key}: \"{value.replace(chr(34), chr(39))}\"")


def _literal_secret(block: dict, base_url: str, where: str) -> None:
    """A secret written into omie_push.yml would be committed with it: only env_var() may give
    it, except to a sandbox (embedded, or served on this machine)."""
    raw = block.get("app_secret")
    if base_url == EMBEDDED or _loopback(base_url) or (isinstance(raw, str) and "env_var(" in raw):
        return
    raise UsageError(f"{where}.app_secret is written in the file; a secret must never be "
                     f"committed. Fix: app_secret: \"{{{{ env_var('OMIE_APP_SECRET') }}}}\" and "
                     f"export OMIE_APP_SECRET=... before running omie-push.")


def _loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def load(project_dir: Path, target: str | None = None) -> PushConfig:
    """Read omie_push.yml from the dbt project and resolve one target."""
    path, raw = _read(project_dir)
    if not isinstance(raw.get("targets"), dict) or not raw["targets"]:
        raise UsageError(f"{path}: key `targets` must map target names to settings.")
    name = target or raw.get("target")
    if not name:
        raise UsageError(f"{path}: no target chosen. Fix: add `target: <name>` or pass --target.")
    if name not in raw["targets"]:
        known = ", ".join(sorted(raw["targets"]))
        raise UsageError(f"{path}: no target named {name!r} under `targets` (known: {known}).")
    return target_from(raw["targets"][name], name, path, Path(project_dir), _results(raw, path))


def results_path_of(project_dir: Path) -> Path:
    """Only the results file of omie_push.yml (for readers such as `omie-push validate`)."""
    path = Path(project_dir) / CONFIG_FILE
    raw = _read(project_dir)[1] if path.exists() else {}
    return _results(raw, path)


def _results(raw: dict, path: Path) -> Path:
    results = raw.get("results_path") or DEFAULT_RESULTS
    results_path = Path(render(str(results), f"{path}: results_path"))
    if not results_path.is_absolute():
        results_path = path.parent / results_path
    return results_path.resolve()


def target_from(block: Any, name: str, path: Path, project_dir: Path,
                results_path: Path) -> PushConfig:
    """One `targets.<name>` mapping -> PushConfig, with every key checked."""
    where = f"{path}: targets.{name}"
    if not isinstance(block, dict):
        raise UsageError(f"{where} must be a mapping of settings.")
    allowed = set(SETTINGS_KEYS) | set(SANDBOX_KEYS) | {"budgets", "sandbox_fixtures"}
    unknown = sorted(set(block) - allowed)
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}. Allowed: {', '.join(sorted(allowed))}.")
    for key in ("base_url", "app_key", "app_secret"):
        if not block.get(key):
            raise UsageError(f"{where}.{key} is missing or empty. Fix: set it (secrets as "
                             f"\"{{{{ env_var('OMIE_APP_SECRET') }}}}\").")
    values = _typed_values(block, {**SETTINGS_KEYS, **SANDBOX_KEYS}, where)
    base_url = values.pop("base_url").rstrip("/")
    state, options = values.pop("sandbox_state", None), values.pop("sandbox_options", {})
    if "budgets" in block:
        values["budgets"] = _budgets(render_tree(block["budgets"], f"{where}.budgets"), where)
    sandbox = None
    if base_url == EMBEDDED:
        state = state or DEFAULT_SANDBOX_STATE
        if not Path(state).is_absolute():
            state = str((project_dir / state).resolve())
        sandbox = EmbeddedSandbox(state, options, _fixtures(block.get("sandbox_fixtures"), where))
        values["nominal_latency_seconds"] = latency_of(options)
    elif not base_url.startswith(("http://", "https://")):
        raise UsageError(f"{where}.base_url must be `embedded` or an http(s) URL, "
                         f"e.g. https://app.omie.com.br/api/v1.")
    elif base_url.startswith("http://") and not _loopback(base_url):
        # Every call's body carries the App Secret: only a sandbox on this machine may be plain HTTP.
        raise UsageError(f"{where}.base_url {base_url} is plain HTTP to another host: every call "
                         f"carries the App Secret in clear. Fix: use https:// (Omie: "
                         f"https://app.omie.com.br/api/v1); http:// is for a sandbox on this "
                         f"machine (127.0.0.1, localhost).")
    _literal_secret(block, base_url, where)
    settings = TargetSettings(name=name, base_url=EMBEDDED_ROOT if sandbox else base_url, **values)
    return PushConfig(path, settings, results_path, sandbox, base_url)


def _fixtures(value: Any, where: str) -> tuple[str, ...]:
    """`sandbox_fixtures: demo` or a list of names, each a fixture set the sandbox knows."""
    from ..sandbox.fixtures import UnknownFixture, check

    if value in (None, ""):
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise UsageError(f"{where}.sandbox_fixtures must be a name or a list of names, e.g. demo.")
    try:
        return check(names)
    except UnknownFixture as exc:
        raise UsageError(f"{where}.sandbox_fixtures: {exc}") from None


def embedded_target(project_dir: Path, target: str | None = None) -> PushConfig | None:
    """The embedded target a served sandbox shares its records with (`omie-push sandbox
    serve` in a project): `target` (which must be embedded), else the default target if it
    is embedded, else the only embedded one; None when there is none to choose."""
    path, raw = _read(project_dir)
    targets = raw.get("targets") if isinstance(raw.get("targets"), dict) else {}
    if target:
        chosen = load(project_dir, target)
        if chosen.sandbox is None:
            raise UsageError(f"{path}: target {target!r} is not `base_url: embedded`, so it has "
                             f"no sandbox state to serve.")
        return chosen
    embedded = [name for name, block in targets.items() if isinstance(block, dict)
                and str(block.get("base_url", "")).rstrip("/") == EMBEDDED]
    default = raw.get("target")
    name = default if default in embedded else (embedded[0] if len(embedded) == 1 else None)
    return load(project_dir, name) if name else None


def latency_of(options: dict[str, Any]) -> float | None:
    """The per-call latency an embedded sandbox's `latency_ms` sets (mean of a range), for the
    plan's estimate; None when it sets none."""
    spec = options.get("latency_ms")
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", str(spec))] if spec is not None else []
    return sum(numbers[:2]) / len(numbers[:2]) / 1000.0 if numbers else None


def _typed_values(block: dict, kinds: dict[str, type], where: str) -> dict[str, Any]:
    return {key: _typed(render_tree(block[key], f"{where}.{key}"), kind, f"{where}.{key}")
            for key, kind in kinds.items() if key in block and block[key] is not None}


def _budgets(block: Any, where: str) -> Budgets:
    if not isinstance(block, dict):
        raise UsageError(f"{where}.budgets must be a mapping.")
    known = {f.name for f in fields(Budgets)}
    unknown = sorted(set(block) - known)
    if unknown:
        raise UsageError(f"{where}.budgets: unknown key {unknown[0]!r}. Allowed: {', '.join(known)}.")
    kinds = {key: float if key.endswith("_seconds") else int for key in block}
    return Budgets(**_typed_values(block, kinds, f"{where}.budgets"))


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
