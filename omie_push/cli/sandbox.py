"""`omie-push sandbox`: run the Omie sandbox over real HTTP.

Only click at the top: the server (uvicorn, starlette) loads when `serve` runs.
"""
from __future__ import annotations

import os

import click

DEFAULT_STATE = ".omie-sandbox/sandbox.sqlite"


@click.group()
def sandbox():
    """Run the Omie sandbox, a local simulator of the Omie API."""


def accounts_from(keys: tuple[str, ...], secrets: tuple[str, ...]) -> dict[str, str]:
    """The app key/secret pairs: given on the command line, else OMIE_APP_KEY/OMIE_APP_SECRET,
    else sandbox-key/sandbox-secret."""
    if len(keys) != len(secrets):
        raise click.UsageError("give one --app-secret for each --app-key, in the same order")
    if keys:
        return dict(zip(keys, secrets))
    return {os.environ.get("OMIE_APP_KEY") or "sandbox-key":
            os.environ.get("OMIE_APP_SECRET") or "sandbox-secret"}


@sandbox.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=int, help="Port to listen on.")
@click.option("--state", "state", default=DEFAULT_STATE, show_default=True,
              type=click.Path(dir_okay=False), help="SQLite file holding the companies' records.")
@click.option("--app-key", "app_keys", multiple=True,
              help="An app key the sandbox accepts (repeatable; each key is its own company).")
@click.option("--app-secret", "app_secrets", multiple=True,
              help="The secret of the --app-key at the same position (repeatable).")
@click.option("--latency-ms", default=None, help="Latency per call, e.g. 50 or 20-200 (see docs/sandbox-traffic.md).")
@click.option("--limits", default="real", show_default=True, help="Omie's limits: real, off or scale=N.")
@click.option("--faults", default=None, help="Faults to inject (see docs/sandbox-traffic.md).")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of latency and faults.")
def serve(host, port, state, app_keys, app_secrets, latency_ms, limits, faults, seed):
    """Serve the Omie API at http://HOST:PORT/api/v1/ until interrupted.

    Point a client at http://HOST:PORT/api/v1 instead of https://app.omie.com.br/api/v1.
    """
    import uvicorn

    from ..errors import UsageError
    from ..sandbox.app import create_app
    from ..sandbox.server import listening_socket
    from ..sandbox.traffic import TrafficConfig

    accounts = accounts_from(app_keys, app_secrets)
    try:
        config = TrafficConfig.parse(limits=limits, latency_ms=latency_ms, faults=faults, seed=seed)
    except (ValueError, UsageError) as exc:   # TrafficSpecError: a bad spec string
        raise click.UsageError(str(exc)) from exc
    folder = os.path.dirname(state)
    if folder:
        os.makedirs(folder, exist_ok=True)
    app = create_app(accounts, state, traffic=config)
    click.echo(f"Omie sandbox at http://{host}:{port}/api/v1 (state: {state}; "
               f"app keys: {', '.join(accounts)}; limits: {limits})", err=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[listening_socket(host, port)])
