"""Which rows to send: those whose payload Omie has not accepted yet.

The ledger holds only what Omie accepted, so one rule covers every case: a row is sent when
the ledger has no entry for its key (new, or failed/rejected/held/not attempted before) or the
entry's hash differs (changed). Unchanged rows are skipped; --full-refresh sends all upserts.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from ..catalog import Endpoint

CATEGORY_KEY_FIELDS = ("categoria_superior", "descricao")


def canonical(param: dict[str, Any]) -> str:
    """The canonical JSON of a payload (sorted keys, no spaces): what its hash is taken of."""
    return json.dumps(param, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def payload_hash(param: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of the payload."""
    return hashlib.sha256(canonical(param).encode("utf-8")).hexdigest()


def key_of(endpoint: Endpoint, row: dict[str, Any]) -> str | None:
    """The ledger key of a row: its integration code; categorias 'superior|descricao';
    an Excluir by Omie id '<field>:<id>'. None when the row carries no key at all."""
    if endpoint.integration_key is None:
        parts = [row.get(name) for name in CATEGORY_KEY_FIELDS]
        return None if any(p in (None, "") for p in parts) else "|".join(str(p).strip() for p in parts)
    value = row.get(endpoint.integration_key)
    if value not in (None, ""):
        return str(value)
    if endpoint.kind == "delete":
        for name in endpoint.key_fields:
            if row.get(name) not in (None, ""):
                return f"{name}:{row[name]}"
    return None


def lookup_of(endpoint: Endpoint, key: str) -> dict[str, Any] | None:
    """How to ask Omie whether the record exists after a lost answer (upserts only)."""
    if endpoint.kind == "upsert" and endpoint.integration_key:
        return {endpoint.integration_key: key}
    return None


def decide(endpoint: Endpoint, ledger_hash: str | None, new_hash: str,
           full_refresh: bool = False) -> str:
    """'send' or 'unchanged'.

    An Incluir (categorias) or an Excluir already accepted is never sent again, not even on
    --full-refresh: a second IncluirCategoria creates a second category (Omie has no key to
    upsert on), and a second Excluir can only fail.
    """
    if endpoint.kind in ("insert", "delete") and ledger_hash is not None:
        return "unchanged"
    if full_refresh or ledger_hash is None or ledger_hash != new_hash:
        return "send"
    return "unchanged"


def deleted_record(endpoint: Endpoint, key: str) -> tuple[str, str | None, str | None] | None:
    """What an accepted Excluir removes from the ledger: (upsert endpoint, key, omie_id), by
    integration code, or by Omie id for a key such as 'chave_lancamento:123'."""
    if endpoint.deletes is None:
        return None
    field, _, omie_id = key.partition(":")
    if omie_id and field in endpoint.key_fields:
        return endpoint.deletes, None, omie_id
    return endpoint.deletes, key, None


def cleared_deletes(endpoint: Endpoint, key: str) -> list[tuple[str, str | None, str | None]]:
    """The delete entries an accepted upsert clears: once a record is back in Omie, a later
    cancellation in the source must delete it again (case: cancel, reopen, cancel)."""
    from ..catalog import ENDPOINTS

    if endpoint.kind != "upsert":
        return []
    return [(other.name, key, None) for other in ENDPOINTS if other.deletes == endpoint.name]
