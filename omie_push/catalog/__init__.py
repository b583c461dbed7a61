"""The endpoint catalog: the one home of Omie's facts and rules for the ten endpoints.

`ENDPOINTS` lists them in the order a push must follow (parents before children, deletes
last). Each `Endpoint` holds its fields, its parents (`depends_on`, `parent_refs`), its lot
call (`lot`), the read that finds a record after a lost answer (`lookup_call`) and, for the
Excluir endpoints, what they delete (`deletes`); `limits` holds Omie's published limits.
Every other part of omie-push (dbt schema YAML, GX suites, payloads, the sender, the push
order, the sandbox) reads them from here.
"""
from __future__ import annotations

from .cadastros import CATEGORIAS, PROJETOS, VENDEDORES
from .clientes import CLIENTES, CLIENTES_ASSOCIAR
from .contas import CONTAS_PAGAR, CONTAS_PAGAR_EXCLUIR, CONTAS_RECEBER, CONTAS_RECEBER_EXCLUIR
from .contratos import CONTRATOS
from .model import YES_NO, Endpoint, Field, Lot, ParentRef, View
from .subfields import Shape, SubField, shape_of

ENDPOINTS: tuple[Endpoint, ...] = (
    CATEGORIAS,
    PROJETOS,
    VENDEDORES,
    CLIENTES,
    CLIENTES_ASSOCIAR,
    CONTAS_RECEBER,
    CONTAS_PAGAR,
    CONTRATOS,
    CONTAS_RECEBER_EXCLUIR,
    CONTAS_PAGAR_EXCLUIR,
)

__all__ = ["ENDPOINTS", "Endpoint", "Field", "Lot", "ParentRef", "Shape", "SubField", "View",
           "YES_NO", "get", "find_view", "views", "parents_of", "shape_of"]


def _norm(text: str) -> str:
    return text.lower().replace(" ", "_").replace("ó", "o").replace("-", "_")


def get(name: str) -> Endpoint:
    """Find an endpoint by catalog name, view name, Omie call or connector title."""
    wanted = _norm(name)
    for ep in ENDPOINTS:
        names = {ep.name, ep.call.lower(), _norm(ep.title)} | {v.name for v in ep.views}
        if wanted in names or wanted.removeprefix("omie_") == ep.name:
            return ep
    known = ", ".join(ep.name for ep in ENDPOINTS)
    raise KeyError(f"no endpoint named {name!r}; the endpoints are: {known}")


def find_view(view_name: str) -> tuple[Endpoint, View]:
    """The endpoint and view definition behind a dbt view name such as omie_contratos_itens."""
    for ep in ENDPOINTS:
        for v in ep.views:
            if v.name == view_name:
                return ep, v
    raise KeyError(f"{view_name!r} is not an omie view; see `omie-push catalog`")


def views() -> list[tuple[Endpoint, View]]:
    """Every (endpoint, view) pair, in push order."""
    return [(ep, v) for ep in ENDPOINTS for v in ep.views]


def parents_of(endpoint: Endpoint, declared: tuple[str, ...] | list[str] = ()) -> tuple[str, ...]:
    """The endpoints that must finish before this one: the catalog's, then any a dbt model
    declares (`meta.omie.depends_on`), each once."""
    names = (*endpoint.depends_on, *(get(d).name for d in declared))
    return tuple(dict.fromkeys(n for n in names if n != endpoint.name))
