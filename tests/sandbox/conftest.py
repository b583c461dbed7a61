"""Fixtures of the sandbox's own tests: the ASGI app in-process, with a state file."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

ACCOUNTS = {"k1": "s1", "k2": "s2"}


def envelope(call: str, param, key: str = "k1", secret: str = "s1") -> dict:
    return {"call": call, "app_key": key, "app_secret": secret, "param": [param]}


@pytest.fixture
def state_path(tmp_path):
    return str(tmp_path / "state.sqlite")


@pytest.fixture
def app(state_path):
    from omie_push.sandbox.app import create_app

    return create_app(ACCOUNTS, state_path)


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def simulator(app):
    """The innermost app (no front door), whose answers carry the private outcome mark."""
    with TestClient(app.simulator) as c:
        yield c
