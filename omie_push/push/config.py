"""`omie_push.yml`: named targets shaped like dbt's profiles, resolved to a `PushConfig`.

    target: sandbox
    results_path: omie_results.duckdb        # relative to the dbt project
    results_in: warehouse                    # or file (default: file beside a DuckDB warehouse)
    results_schema: omie_push                # the warehouse's schema for the results
    targets:
      sandbox: {base_url: embedded, app_key: ..., app_secret: ..., sandbox_state: ...,
                sandbox_fixtures: demo}
      omie:
        base_url: https://app.omie.com.br/api/v1
        app_key: "{{ env_var('OMIE_APP_KEY') }}"
        app_secret: "{{ env_var('OMIE_APP_SECRET') }}"
      office:                                  # many companies (docs/companies.md)
        base_url: https://app.omie.com.br/api/v1
        companies:
          padaria: {app_key: "{{ env_var('PADARIA_KEY') }}", app_secret: "{{ env_var('PADARIA_SECRET') }}"}
          oficina: {app_key: ..., app_secret: ..., cnpj: 11.444.777/0001-61, max_attempts: 3}

Secrets come through `{{ env_var('NAME') }}` (omie_push.dbt.render), so a config error can name
the file, the key and the variable to export, and never the value. `base_url: embedded` is the
Omie sandbox in-process: this module is where the target becomes a transport to it, so the
Omie client below never knows the simulator exists.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ..client.types import Budgets, TargetSettings
from ..dbt.render import render, render_tree
from ..errors import UsageError
from .secrets import literal_secret, plain_http

CONFIG_FILE = "omie_push.yml"
DEFAULT_RESULTS = "omie_results.duckdb"
EMBEDDED = "embedded"
EMBEDDED_ROOT = "http://omie-sandbox.embedded/api/v1"
# Keys of a target that map one-to-one onto TargetSettings (besides budgets).
SETTINGS_KEYS = {
    "base_url": str, "app_key": str, "app_secret": str, "timeout_seconds": float,
    "max_attempts": int, "breaker_threshold": int, "lot_size": int,
    "associate_duplicates": bool, "max_deletes": int, "drift_check_minutes": float,
}
SANDBOX_KEYS = {"sandbox_state": str, "sandbox_options": dict}
# Keys a company of `companies:` may set for itself (the target's values are its defaults).
COMPANY_KEYS = {key: kind for key, kind in SETTINGS_KEYS.items() if key != "base_url"}
COMPANY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
DEFAULT_SANDBOX_STATE = ".omie-sandbox/state.sqlite"   # in the project; `sandbox serve` uses it too


@dataclass(frozen=True)
class EmbeddedSandbox:
    """An embedded target's sandbox: its state file, its traffic options (limits, latency,
    faults, seed: `TrafficConfig.parse`) and the fixture sets its company starts with."""

    state: str
    options: dict[str, Any] = field(default_factory=dict)
    fixtures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Company:
    """One Omie company of a target: its name in omie_push.yml (what a view's `omie_company`
    column says), its settings (its own App Key and Secret), and the CNPJ its key must belong
    to, if given (checked with ListarEmpresas before its first write)."""

    name: str
    settings: TargetSettings
    cnpj: str | None = None


@dataclass(frozen=True)
class PushConfig:
    """The resolved configuration of one run."""

    path: Path                 # the omie_push.yml read (or where it would be)
    settings: TargetSettings   # the target's first company; base_url is the API root calls go to
    results_path: Path
    sandbox: EmbeddedSandbox | None = None   # set for `base_url: embedded`
    base_url: str = ""         # as written in omie_push.yml (`embedded` or a URL)
    # Every company of the target, in file order; the single form is one company named by
    # `company:` (default: the target's name). Empty only for a PushConfig built by hand.
    companies: tuple[Company, ...] = ()
    many: bool = False         # written as `companies:` with more than one
    results_in: str | None = None        # file | warehouse (None: as the dbt warehouse implies)
    results_schema: str | None = None    # the warehouse's schema for the results (omie_push)

    def company_list(self) -> tuple[Company, ...]:
        return self.companies or (Company(self.settings.name, self.settings),)

    def accounts(self) -> dict[str, str]:
        """app_key -> app_secret of every company (what an embedded sandbox serves)."""
        return {c.settings.app_key: c.settings.app_secret for c in self.company_list()}

    def transport(self):
        """The httpx transport calls go through: the in-process sandbox (serving every company
        of the target) for an embedded target, else None (real HTTP)."""
        if self.sandbox is None:
            return None
        from ..sandbox.embedded import asgi_transport

        Path(self.sandbox.state).parent.mkdir(parents=True, exist_ok=True)
        return asgi_transport(self.sandbox.state, self.accounts(),
                              fixtures=self.sandbox.fixtures, **self.sandbox.options)


def with_settings(cfg: PushConfig, **changes: Any) -> PushConfig:
    """The config with a setting changed for every company (a command-line override)."""
    companies = tuple(replace(c, settings=replace(c.settings, **changes)) for c in cfg.company_list())
    return replace(cfg, settings=companies[0].settings, companies=companies)


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
    config = target_from(raw["targets"][name], name, path, Path(project_dir), _results(raw, path))
    where = {key: render(str(raw[key]), f"{path}: {key}") for key in ("results_in", "results_schema")
             if raw.get(key) not in (None, "")}
    return replace(config, **where)


def results_path_of(project_dir: Path) -> Path:
    """Only the results file of omie_push.yml (for readers such as `omie-push validate`)."""
    path = Path(project_dir) / CONFIG_FILE
    raw = _read(project_dir)[1] if path.exists() else {}
    return _results(raw, path)


def results_settings_of(project_dir: Path) -> tuple[str | None, str | None]:
    """(results_in, results_schema) of omie_push.yml (None when not set)."""
    path = Path(project_dir) / CONFIG_FILE
    raw = _read(project_dir)[1] if path.exists() else {}
    return tuple(render(str(raw[key]), f"{path}: {key}") if raw.get(key) not in (None, "") else None
                 for key in ("results_in", "results_schema"))


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
    allowed = set(SETTINGS_KEYS) | set(SANDBOX_KEYS) | {"budgets", "sandbox_fixtures", "companies",
                                                        "company", "cnpj"}
    unknown = sorted(set(block) - allowed)
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}. Allowed: {', '.join(sorted(allowed))}.")
    many = "companies" in block
    _credentials_form(block, many, where)
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
    else:
        plain_http(base_url, where)
    root = EMBEDDED_ROOT if sandbox else base_url
    if many:
        companies = _companies(block["companies"], values, name, root, base_url, where)
    else:
        literal_secret(block, base_url, where)
        label = _company_name(block.get("company") or name, f"{where}.company")
        cnpj = _cnpj(block.get("cnpj"), f"{where}.cnpj")
        companies = (Company(label, TargetSettings(name=name, base_url=root, **values), cnpj),)
    return PushConfig(path, companies[0].settings, results_path, sandbox, base_url, companies,
                      many and len(companies) > 1)


def _credentials_form(block: dict, many: bool, where: str) -> None:
    """Either `companies:` or the single form's app_key/app_secret, never both."""
    if not block.get("base_url"):
        raise UsageError(f"{where}.base_url is missing or empty. Fix: set it (`embedded` or "
                         f"https://app.omie.com.br/api/v1).")
    if many:
        both = sorted({"app_key", "app_secret", "company", "cnpj"} & set(block))
        if both:
            raise UsageError(f"{where}: {both[0]} beside `companies:`; each company has its own. "
                             f"Fix: move it under companies.<name>.")
        return
    for key in ("app_key", "app_secret"):
        if not block.get(key):
            raise UsageError(f"{where}.{key} is missing or empty. Fix: set it (secrets as "
                             f"\"{{{{ env_var('OMIE_APP_SECRET') }}}}\"), or list the target's "
                             f"`companies:`.")


def _companies(raw: Any, defaults: dict[str, Any], target: str, root: str, base_url: str,
               where: str) -> tuple[Company, ...]:
    """`companies:` name -> {app_key, app_secret, cnpj, per-company options}."""
    if not isinstance(raw, dict) or not raw:
        raise UsageError(f"{where}.companies must map company names to their app_key and "
                         f"app_secret, e.g. companies: {{padaria: {{app_key: ..., app_secret: ...}}}}.")
    made, keys = [], {}
    for label, block in raw.items():
        here = f"{where}.companies.{label}"
        label = _company_name(label, here)
        if not isinstance(block, dict):
            raise UsageError(f"{here} must be a mapping with app_key and app_secret.")
        allowed = set(COMPANY_KEYS) | {"budgets", "cnpj"}
        unknown = sorted(set(block) - allowed)
        if unknown:
            raise UsageError(f"{here}: unknown key {unknown[0]!r}. Allowed: {', '.join(sorted(allowed))}.")
        for key in ("app_key", "app_secret"):
            if not block.get(key):
                raise UsageError(f"{here}.{key} is missing or empty. Fix: set it (secrets as "
                                 f"\"{{{{ env_var('OMIE_APP_SECRET') }}}}\").")
        literal_secret(block, base_url, here)
        values = {**defaults, **_typed_values(block, COMPANY_KEYS, here)}
        if "budgets" in block:
            values["budgets"] = _company_budgets(block["budgets"], defaults.get("budgets"), here)
        if values["app_key"] in keys:
            raise UsageError(f"{here}.app_key is also {keys[values['app_key']]}'s: one app key is "
                             f"one Omie company. Fix: give each company its own app.")
        keys[values["app_key"]] = label
        made.append(Company(label, TargetSettings(name=target, base_url=root, **values),
                            _cnpj(block.get("cnpj"), f"{here}.cnpj")))
    return tuple(made)


def _company_budgets(raw: Any, defaults: Budgets | None, where: str) -> Budgets:
    """A company's own budgets over the target's; the per-IP budget is the machine's."""
    block = render_tree(raw, f"{where}.budgets")
    if isinstance(block, dict) and "calls_per_minute_per_ip" in block:
        raise UsageError(f"{where}.budgets.calls_per_minute_per_ip: the per-IP budget is shared by "
                         f"every company calling from this machine. Fix: set it on the target.")
    own = _budgets(block, where)
    base = defaults or Budgets()
    given = {f.name: getattr(own, f.name) for f in fields(Budgets) if f.name in block}
    return Budgets(**{**{f.name: getattr(base, f.name) for f in fields(Budgets)}, **given})


def _company_name(value: Any, where: str) -> str:
    label = str(value)
    if not COMPANY_NAME.match(label):
        raise UsageError(f"{where}: {label!r} is not a company name: letters, digits, `_`, `.` "
                         f"and `-`, up to 64, e.g. padaria_aurora.")
    return label


def _cnpj(value: Any, where: str) -> str | None:
    """An expected CNPJ, as digits (ListarEmpresas answers it formatted)."""
    if value in (None, ""):
        return None
    digits = re.sub(r"\D", "", str(render_tree(value, where)))
    if len(digits) != 14:
        raise UsageError(f"{where}: {value!r} is not a CNPJ (14 digits).")
    return digits


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
