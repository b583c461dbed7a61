"""Contract tests: Omie's behaviour as tests that take a base URL.

By default they run against the sandbox, served over real HTTP in a thread. To check the
sandbox against the real Omie with a test app of your own:

    OMIE_REAL=1 OMIE_APP_KEY=... OMIE_APP_SECRET=... .venv/bin/pytest tests/contract

(OMIE_CONTRACT_BASE_URL overrides https://app.omie.com.br/api/v1.) Only the tests marked
`real_omie` run then: they read, or refuse before writing, so they leave the account as it was.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field

import httpx
import pytest

REAL = os.environ.get("OMIE_REAL") == "1"
HERE = os.path.dirname(__file__)
# contract-key holds the demo's fixtures (clients typed in Omie's screens, bank accounts);
# other-key and fresh-key are new companies, as a new Omie app is.
SANDBOX_ACCOUNTS = {"contract-key": {"app_secret": "contract-secret", "fixtures": ["demo"]},
                    "1234567890": "numeric-secret", "other-key": "other-secret",
                    "fresh-key": "fresh-secret", "full-group-key": "full-group-secret"}


@dataclass
class Target:
    """Where the contract tests send their calls, and with which credentials."""

    base_url: str
    app_key: str
    app_secret: str = field(repr=False)
    real: bool = False
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60), repr=False)

    def post(self, path: str, body, follow_redirects: bool = False) -> httpx.Response:
        """POST a raw body (bytes/str) or a JSON object at <base_url>/<path>."""
        url = f"{self.base_url}/{path}"
        if isinstance(body, (bytes, str)):
            return self.http.post(url, content=body, headers={"Content-Type": "application/json"},
                                  follow_redirects=follow_redirects)
        return self.http.post(url, json=body, follow_redirects=follow_redirects)

    def call(self, path: str, call: str, param: dict | None = None, *, app_key=None,
             app_secret=None) -> httpx.Response:
        return self.post(path, {"call": call, "app_key": app_key or self.app_key,
                                "app_secret": app_secret or self.app_secret,
                                "param": [param if param is not None else {}]})

    def ok(self, path: str, call: str, param: dict | None = None, **kw) -> dict:
        """A call that must succeed: its JSON answer."""
        r = self.call(path, call, param, **kw)
        assert r.status_code == 200, r.text
        return r.json()

    def admin(self, op: str, app_key: str | None = None, app_secret: str | None = None,
              **request) -> dict:
        """An admin route of the sandbox (a person in Omie's screens; an app suspended)."""
        if self.real:
            pytest.skip("the real Omie has no admin routes: do this in Omie's screens")
        from omie_push.sandbox.testing import admin

        return admin(self.base_url, op, app_key or self.app_key, app_secret or self.app_secret,
                     **request)

    def fault(self, path: str, call: str, param: dict | None = None, status: int = 500, **kw) -> dict:
        """A call that must be refused: its fault body."""
        r = self.call(path, call, param, **kw)
        assert r.status_code == status, r.text
        body = r.json()
        assert set(body) == {"faultstring", "faultcode"}, body
        return body


@pytest.fixture(scope="session")
def omie():
    if REAL:
        key, secret = os.environ.get("OMIE_APP_KEY"), os.environ.get("OMIE_APP_SECRET")
        if not key or not secret:
            pytest.skip("OMIE_REAL=1 needs OMIE_APP_KEY and OMIE_APP_SECRET")
        base = os.environ.get("OMIE_CONTRACT_BASE_URL", "https://app.omie.com.br/api/v1").rstrip("/")
        target = Target(base, key, secret, real=True)
        yield target
        target.http.close()
        return
    from omie_push.sandbox.testing import serve

    with serve(SANDBOX_ACCOUNTS) as base_url:
        target = Target(base_url, "contract-key", "contract-secret")
        yield target
        target.http.close()


@pytest.fixture
def uid() -> str:
    """A fresh suffix, so tests sharing one company never collide."""
    return uuid.uuid4().hex[:10]


def pytest_collection_modifyitems(config, items):
    if not REAL:
        return
    skip = pytest.mark.skip(reason="sandbox-only contract test (writes, or texts Omie does not publish)")
    for item in items:
        if str(item.fspath).startswith(HERE) and "real_omie" not in item.keywords:
            item.add_marker(skip)
