"""`omie-push sandbox`: run the Omie sandbox over real HTTP, and act on its state file as a
person in Omie's screens would (edit, type in, delete records; suspend an app; load fixtures).

Run inside a dbt project (the current folder or ./dbt_project, or --project-dir), the verbs
default to the project's embedded target: its state file, app key and secret and fixture sets,
so `sandbox serve` shows the records the embedded target's pushes made.
Only click at the top: the server (uvicorn, starlette) loads when a verb runs.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import click

DEFAULT_STATE = ".omie-sandbox/state.sqlite"
DEFAULT_ACCOUNT = ("sandbox-key", "sandbox-secret")


@click.group()
def sandbox():
    """Run the Omie sandbox, a local simulator of the Omie API."""


@dataclass
class Where:
    """The state file and companies a verb acts on, and where they came from."""

    state: str
    accounts: dict = field(repr=False)
    fixtures: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    source: str = "defaults"


def project_of(project_dir: str | None) -> Path | None:
    """The dbt project holding omie_push.yml: the one given, else the current folder, else
    ./dbt_project; None outside any."""
    candidates = [Path(project_dir)] if project_dir else [Path.cwd(), Path.cwd() / "dbt_project"]
    for candidate in candidates:
        if (candidate / "omie_push.yml").exists():
            return candidate.resolve()
    if project_dir:
        raise click.UsageError(f"no omie_push.yml in {project_dir}")
    return None


def where(project_dir, target, state, keys=(), secrets=()) -> Where:
    """Command-line values first, then the project's embedded target, then the defaults."""
    from ..errors import UsageError
    from ..push.config import embedded_target

    project = project_of(project_dir)
    try:
        cfg = embedded_target(project, target) if project else None
    except UsageError as exc:
        raise click.UsageError(str(exc)) from exc
    if cfg is not None:
        found = Where(cfg.sandbox.state, cfg.accounts(),
                      cfg.sandbox.fixtures, dict(cfg.sandbox.options),
                      f"target {cfg.settings.name} of {cfg.path}")
    else:
        if target:
            raise click.UsageError("--target needs a project with omie_push.yml")
        env = (os.environ.get("OMIE_APP_KEY"), os.environ.get("OMIE_APP_SECRET"))
        key, secret = env if all(env) else DEFAULT_ACCOUNT
        found = Where(DEFAULT_STATE, {key: secret})
    if state:
        found.state = state
    if keys:
        found.accounts = accounts_from(keys, secrets)
    return found


def accounts_from(keys: tuple[str, ...], secrets: tuple[str, ...]) -> dict[str, str]:
    """The app key/secret pairs: given on the command line, else OMIE_APP_KEY/OMIE_APP_SECRET,
    else sandbox-key/sandbox-secret (outside a project)."""
    if len(keys) != len(secrets):
        raise click.UsageError("give one --app-secret for each --app-key, in the same order")
    if keys:
        return dict(zip(keys, secrets))
    return {os.environ.get("OMIE_APP_KEY") or DEFAULT_ACCOUNT[0]:
            os.environ.get("OMIE_APP_SECRET") or DEFAULT_ACCOUNT[1]}


def project_options(f):
    f = click.option("--state", default=None, type=click.Path(dir_okay=False),
                     help=f"SQLite file of the companies' records (default: the project's "
                          f"embedded target's, else {DEFAULT_STATE}).")(f)
    f = click.option("--target", default=None,
                     help="The embedded target of omie_push.yml whose state, key and fixtures "
                          "to use (default: the default target if embedded, else the only one).")(f)
    return click.option("--project-dir", type=click.Path(file_okay=False), default=None,
                        help="The dbt project (default: the current folder, or ./dbt_project).")(f)


def companies(accounts: dict, names: tuple, cnpjs: tuple, fixtures: tuple) -> dict:
    """Account specs: the i-th --company-name/--company-cnpj names the i-th company."""
    if len(names) > len(accounts) or len(cnpjs) > len(accounts):
        raise click.UsageError("give at most one --company-name and --company-cnpj per company")
    specs = {}
    for i, (key, secret) in enumerate(accounts.items()):
        spec = {"app_secret": secret, "fixtures": list(fixtures)}
        if i < len(names):
            spec["razao_social"] = names[i]
        if i < len(cnpjs):
            spec["cnpj"] = cnpjs[i]
        specs[key] = spec
    return specs


@sandbox.command()
@project_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=int, help="Port to listen on.")
@click.option("--app-key", "app_keys", multiple=True,
              help="An app key the sandbox accepts (repeatable; each key is its own company; "
                   "default: the project's, else OMIE_APP_KEY, else sandbox-key).")
@click.option("--app-secret", "app_secrets", multiple=True,
              help="The secret of the --app-key at the same position (repeatable).")
@click.option("--company-name", "names", multiple=True,
              help="Razão social of the company at the same position (repeatable; ListarEmpresas).")
@click.option("--company-cnpj", "cnpjs", multiple=True,
              help="CNPJ of the company at the same position (repeatable; ListarEmpresas).")
@click.option("--fixtures", "fixtures", multiple=True,
              help="A fixture set every company starts with, once (repeatable; e.g. demo).")
@click.option("--latency-ms", default=None, help="Latency per call, e.g. 50 or 20-200 (see docs/sandbox-traffic.md).")
@click.option("--limits", default=None, help="Omie's limits: real (default), off or scale=N.")
@click.option("--faults", default=None, help="Faults to inject (see docs/sandbox-traffic.md).")
@click.option("--seed", default=None, type=int, help="Seed of latency and faults (default 0).")
def serve(project_dir, target, state, host, port, app_keys, app_secrets, names, cnpjs, fixtures,
          latency_ms, limits, faults, seed):
    """Serve the Omie API at http://HOST:PORT/api/v1/ until interrupted.

    Point a client at http://HOST:PORT/api/v1 instead of https://app.omie.com.br/api/v1.
    In a dbt project it serves the embedded target's state, key and fixtures.
    """
    import uvicorn

    from ..errors import UsageError
    from ..sandbox.accounts import AccountError
    from ..sandbox.app import create_app
    from ..sandbox.fixtures import UnknownFixture
    from ..sandbox.server import listening_socket
    from ..sandbox.traffic import TrafficConfig

    if app_keys or app_secrets:
        accounts_from(app_keys, app_secrets)           # pairs checked before anything else
    place = where(project_dir, target, state, app_keys, app_secrets)
    given = {"limits": limits, "latency_ms": latency_ms, "faults": faults, "seed": seed}
    options = {**place.options, **{k: v for k, v in given.items() if v is not None}}
    try:
        config = TrafficConfig.parse(**options)
        specs = companies(place.accounts, names, cnpjs, tuple(place.fixtures) + fixtures)
        folder = os.path.dirname(place.state)
        if folder:
            os.makedirs(folder, exist_ok=True)
        app = create_app(specs, place.state, traffic=config)
    except (ValueError, UsageError, AccountError, UnknownFixture) as exc:   # a bad spec string
        raise click.UsageError(str(exc)) from exc
    click.echo(f"Omie sandbox at http://{host}:{port}/api/v1 (state: {place.state}; "
               f"app keys: {', '.join(place.accounts)}; from {place.source}; "
               f"limits: {options.get('limits') or 'real'})", err=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[listening_socket(host, port)])


def open_store(place: Where, create: bool):
    """The state file; only `load` may create it."""
    from ..sandbox.state import Store

    if not create and not Path(place.state).exists():
        raise click.UsageError(f"no sandbox state at {place.state} (serve or push to it first, "
                               f"or pass --state)")
    Path(place.state).parent.mkdir(parents=True, exist_ok=True)
    return Store(place.state)


def one_key(place: Where, app_key: str | None) -> str:
    if app_key:
        return app_key
    if len(place.accounts) != 1:
        raise click.UsageError("name the company with --app-key")
    return next(iter(place.accounts))


def admin_run(project_dir, target, state, app_key, action, create: bool = False):
    """Run `action(store, key)` on the state file; its errors become a clear message, exit 1."""
    from ..sandbox.admin import AdminError
    from ..sandbox.fixtures import UnknownFixture
    from ..sandbox.protocol import OmieFault

    place = where(project_dir, target, state)
    key = one_key(place, app_key)
    store = open_store(place, create)
    try:
        return action(store, key)
    except (AdminError, UnknownFixture) as exc:
        raise click.ClickException(str(exc)) from exc
    except OmieFault as fault:
        raise click.ClickException(f"refused as Omie would: {fault.faultstring}") from fault
    finally:
        store.close()


def app_key_option(f):
    return click.option("--app-key", default=None,
                        help="The company (default: the project's sandbox key, else the only one).")(f)


def fields_of(pairs: tuple[str, ...]) -> dict:
    """FIELD=VALUE pairs -> a dict; a value that reads as JSON (number, object) is taken as such;
    dotted names nest (cabecalho.cCodSit=90)."""
    made: dict = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise click.UsageError(f"{pair!r}: write FIELD=VALUE")
        try:
            value = json.loads(text)
        except ValueError:
            value = text
        if isinstance(value, bool) or value is None:
            value = text
        node = made
        *parents, leaf = name.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return made


def record_options(f):
    f = click.option("--code", default=None, help="The record's integration code.")(f)
    return click.option("--omie-id", default=None, help="The record's Omie id (a category's code).")(f)


def who_options(f):
    f = click.option("--at", default=None, help="When the person did it, dd/mm/aaaa hh:mm:ss (default: now).")(f)
    return click.option("--user", default=None, help="The Omie user code it is recorded under (default: P000100001).")(f)


@sandbox.command()
@project_options
@app_key_option
@record_options
@who_options
@click.argument("endpoint")
@click.argument("changes", nargs=-1, required=True)
def edit(project_dir, target, state, app_key, omie_id, code, user, at, endpoint, changes):
    """Change fields of a record as a person in Omie's screens would (uAlt: a user code).

    ENDPOINT: clientes, contas_receber, contas_pagar, projetos, vendedores, contratos or
    categorias. CHANGES: FIELD=VALUE pairs, e.g. razao_social="Padaria Nova" or
    cabecalho.cCodSit=90.
    """
    from ..sandbox import admin

    def _edit(store, key):
        return admin.edit(store, key, endpoint, fields_of(changes), omie_id=omie_id, code=code,
                          user=user or admin.UI_USER, at=admin.parse_moment(at))
    record = admin_run(project_dir, target, state, app_key, _edit)
    click.echo(json.dumps(record, ensure_ascii=False))


@sandbox.command()
@project_options
@app_key_option
@who_options
@click.argument("endpoint")
@click.argument("fields", nargs=-1, required=True)
def create(project_dir, target, state, app_key, user, at, endpoint, fields):
    """Type a new record in as a person in Omie's screens would (uInc: a user code, cImpAPI N).

    ENDPOINT: clientes, contas_receber, contas_pagar, projetos or vendedores. FIELDS: FIELD=VALUE.
    """
    from ..sandbox import admin

    def _create(store, key):
        return admin.create(store, key, endpoint, fields_of(fields), user=user or admin.UI_USER,
                            at=admin.parse_moment(at))
    record = admin_run(project_dir, target, state, app_key, _create)
    click.echo(json.dumps(record, ensure_ascii=False))


@sandbox.command()
@project_options
@app_key_option
@record_options
@click.argument("endpoint")
def delete(project_dir, target, state, app_key, omie_id, code, endpoint):
    """Delete a record as a person in Omie's screens would."""
    from ..sandbox import admin

    def _delete(store, key):
        return admin.delete(store, key, endpoint, omie_id=omie_id, code=code)
    record = admin_run(project_dir, target, state, app_key, _delete)
    click.echo(json.dumps(record, ensure_ascii=False))


@sandbox.command()
@project_options
@app_key_option
def suspend(project_dir, target, state, app_key):
    """Suspend an app: its calls get HTTP 403 (as a wrong secret) until `resume`."""
    from ..sandbox import admin

    def _suspend(store, key):
        admin.suspend(store, key, True)
        return key
    click.echo(f"suspended: {admin_run(project_dir, target, state, app_key, _suspend)}")


@sandbox.command()
@project_options
@app_key_option
def resume(project_dir, target, state, app_key):
    """Resume a suspended app."""
    from ..sandbox import admin

    def _resume(store, key):
        admin.suspend(store, key, False)
        return key
    click.echo(f"resumed: {admin_run(project_dir, target, state, app_key, _resume)}")


@sandbox.command()
@project_options
@app_key_option
@click.argument("names", nargs=-1, required=True)
def load(project_dir, target, state, app_key, names):
    """Load fixture sets into a company (each set once per company; e.g. demo)."""
    from ..sandbox import fixtures

    def _load(store, key):
        return fixtures.load(store, key, names)
    done = admin_run(project_dir, target, state, app_key, _load, create=True)
    click.echo(f"loaded: {', '.join(done) or 'nothing new'}")
