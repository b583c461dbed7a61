"""The two rules that keep the App Secret out of the wrong places: never written in
omie_push.yml (only env_var() gives it, except to a sandbox), never sent over plain HTTP to
another machine (every call's body carries it)."""
from __future__ import annotations

from ..errors import UsageError

EMBEDDED = "embedded"


def literal_secret(block: dict, base_url: str, where: str) -> None:
    """A secret written into omie_push.yml would be committed with it: only env_var() may give
    it, except to a sandbox (embedded, or served on this machine)."""
    raw = block.get("app_secret")
    if base_url == EMBEDDED or loopback(base_url) or (isinstance(raw, str) and "env_var(" in raw):
        return
    raise UsageError(f"{where}.app_secret is written in the file; a secret must never be "
                     f"committed. Fix: app_secret: \"{{{{ env_var('OMIE_APP_SECRET') }}}}\" and "
                     f"export OMIE_APP_SECRET=... before running omie-push.")


def loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def plain_http(base_url: str, where: str) -> None:
    """A base URL in plain http:// is for a sandbox on this machine only."""
    if base_url.startswith("http://") and not loopback(base_url):
        raise UsageError(f"{where}.base_url {base_url} is plain HTTP to another host: every call "
                         f"carries the App Secret in clear. Fix: use https:// (Omie: "
                         f"https://app.omie.com.br/api/v1); http:// is for a sandbox on this "
                         f"machine (127.0.0.1, localhost).")
