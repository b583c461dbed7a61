"""Asking Omie whether a record is there, after a write whose answer was lost.

A timeout, a dropped connection or a REDUNDANT answer to a write may hide a write that went
through (omie-api.md §5.3). Before sending again the sender reads the record by its
integration key (Consultar*), or, for categories, which have no key, searches ListarCategorias
for the description in its group (the catalog's `Endpoint.lookup_call`). `Item.lookup`, when the pusher gives it, is `param[0]` of
that read; otherwise it is derived from the item's own param.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..catalog import Endpoint

# Where each answer carries the Omie id of the record.
ID_FIELDS = ("codigo_cliente_omie", "codigo_lancamento_omie", "nCodCtr", "codigo")


def lookup_param(endpoint: Endpoint, param: dict[str, Any],
                 given: dict[str, Any] | None) -> dict[str, Any] | None:
    """param[0] of the lookup call: the pusher's `Item.lookup`, or built from the item."""
    if given:
        if endpoint.name == "contratos" and "contratoChave" not in given:
            return {"contratoChave": given}
        return given
    if endpoint.name == "categorias":
        return {k: param.get(k) for k in ("categoria_superior", "descricao")}
    if endpoint.name == "contratos":
        code = (param.get("cabecalho") or {}).get("cCodIntCtr")
        return {"contratoChave": {"cCodIntCtr": code}} if code else None
    key = endpoint.integration_key
    if key and param.get(key) not in (None, ""):
        return {key: param[key]}
    if endpoint.kind == "delete":   # Excluir by Omie id: Consultar takes it as codigo_lancamento_omie
        omie_id = param.get("chave_lancamento") or param.get("codigo_lancamento_omie")
        return {"codigo_lancamento_omie": omie_id} if omie_id else None
    return None


def omie_id_of(answer: Any) -> int | str | None:
    """The Omie id in a write's or a Consultar's answer (nested for contratos)."""
    if not isinstance(answer, dict):
        return None
    for name in ID_FIELDS:
        if answer.get(name) not in (None, "", 0):
            return answer[name]
    for nested in ("contratoCadastro", "cabecalho"):
        if isinstance(answer.get(nested), dict):
            found = omie_id_of(answer[nested])
            if found is not None:
                return found
    return None


@dataclass
class Found:
    """A lookup's verdict: the record is in Omie (with its id) and whether it holds our payload."""

    omie_id: int | str | None
    record: dict[str, Any]
    matches: bool


def judge(param: dict[str, Any], record: dict[str, Any]) -> Found:
    """Does the record Omie holds carry every value we sent? A false "no" costs one more
    (idempotent) upsert; a "yes" means the stored record already equals what we wanted."""
    body = record.get("contratoCadastro", record)
    return Found(omie_id_of(record), record, _contains(body, param))


BLANK = (None, "", {}, [])


def _contains(stored: Any, sent: Any) -> bool:
    """Omie answers a field it holds nothing in as absent (List), `""` (Consultar) or `{}` (an
    unset object) (omie-api.md §9): all three read as empty, here as when we send them."""
    if isinstance(sent, dict):
        if stored in BLANK:
            stored = {}
        return isinstance(stored, dict) and all(
            _contains(stored.get(k), v) for k, v in sent.items() if v not in BLANK)
    if isinstance(sent, list):
        if stored in BLANK:
            stored = []
        if not isinstance(stored, list) or len(stored) != len(sent):
            return False
        return all(any(_contains(s, v) for s in stored) for v in sent)
    return _same_scalar(stored, sent)


def _same_scalar(stored: Any, sent: Any) -> bool:
    if stored == sent:
        return True
    if isinstance(sent, (int, float)) or isinstance(stored, (int, float)):
        try:
            return abs(float(stored) - float(sent)) < 0.005
        except (TypeError, ValueError):
            return False
    if isinstance(sent, str) and isinstance(stored, str):
        if sent.strip() == stored.strip():
            return True
        digits = "".join(c for c in sent if c.isdigit())
        # CNPJ/CPF and CEP: Omie stores them formatted ("11.222.333/0001-81").
        return bool(digits) and len(digits) >= 8 and digits == "".join(
            c for c in stored if c.isdigit()) and not any(c.isalpha() for c in sent + stored)
    return False


def find_category(listing: list[dict[str, Any]], param: dict[str, Any]) -> dict[str, Any] | None:
    """The category with this description in this group, from ListarCategorias' pages."""
    group, name = param.get("categoria_superior"), str(param.get("descricao", "")).strip()
    for cat in listing:
        if str(cat.get("descricao", "")).strip() != name:
            continue
        parent = cat.get("categoria_superior") or str(cat.get("codigo", "")).rsplit(".", 1)[0]
        if parent == group:
            return cat
    return None
