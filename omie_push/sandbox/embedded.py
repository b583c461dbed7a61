"""The sandbox in-process: an httpx transport that calls the ASGI app with no socket.

This is the `embedded` target, the default of a fresh project. The app is the same one
`omie-push sandbox serve` runs, limits included (they are on by default, as at Omie).
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

import httpx

from .app import create_app
from .traffic import TrafficConfig


def asgi_transport(state_path: str | None, accounts: Mapping[str, Any] | Any, *,
                   fixtures: Iterable[str] = (), **traffic_options: Any) -> httpx.AsyncBaseTransport:
    """An httpx transport to a sandbox keeping its state in `state_path`.

    `accounts`: app_key -> app_secret (or pairs, or spec dicts: `accounts.accounts_of`); each
    key is its own company. `fixtures`: fixture sets loaded into every company once (a target's
    `sandbox_fixtures`, e.g. "demo"). `traffic_options`: passed to `TrafficConfig.parse`
    (limits="real"|"off"|"scale=N", latency_ms, faults, seed, clock); Omie's real limits when
    none is given.
    """
    config = TrafficConfig.parse(**traffic_options)
    app = create_app(accounts, state_path, traffic=config, fixtures=fixtures)
    # A fixed client address: the per-IP limit needs one, and Omie sees one per machine.
    return httpx.ASGITransport(app=app, client=("127.0.0.1", 0))
