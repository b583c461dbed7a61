"""Named fixture sets: records a company holds before the integration, loaded on request.

A new company starts empty, as a new Omie app does (`company.py`). The demo needs more: its
company's name and CNPJ, two bank accounts its títulos name, and two clients typed in Omie's
screens before the integration (no integration code, `uInc` a user code) for its
AssociarCodIntCliente example. Each set is loaded into a company once (the state file notes it),
so a record the user deleted or changed since is not brought back on the next start.

    load(store, "K", ["demo"])     # also: sandbox serve --fixtures demo; target sandbox_fixtures: demo
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .company import conta_corrente
from .service import UI_USER
from .state import Store


@dataclass(frozen=True)
class FixtureSet:
    name: str
    description: str
    empresa: dict | None = None
    contas_correntes: tuple[tuple[int, str], ...] = ()
    clientes: tuple[dict, ...] = ()


def typed_in(omie_id: int, razao: str, formatted: str) -> dict:
    """A client as someone typed it in Omie's screen on 02/01/2024, before any integration."""
    digits = "".join(c for c in formatted if c.isdigit())
    return {"codigo_cliente_omie": omie_id, "codigo_cliente_integracao": "",
            "razao_social": razao, "nome_fantasia": razao, "cnpj_cpf": formatted,
            "pessoa_fisica": "S" if len(digits) == 11 else "N", "inativo": "N",
            "importado_api": "N",
            "info": {"dInc": "02/01/2024", "hInc": "09:00:00", "uInc": UI_USER,
                     "dAlt": "02/01/2024", "hAlt": "09:00:00", "uAlt": UI_USER, "cImpAPI": "N"}}


DEMO = FixtureSet(
    "demo", "the sample project's company (dbt_project/): Vértice's name and CNPJ, the bank "
            "accounts 4850011002 and 4850011003, clients 5500000101 and 5500000102 typed in Omie",
    empresa={"razao_social": "Vértice Tecnologia e Consultoria Ltda",
             "nome_fantasia": "Vértice Tecnologia", "cnpj": "34.512.877/0001-83"},
    contas_correntes=((4850011002, "Itaú c/c"), (4850011003, "Banco do Brasil c/c")),
    clientes=(typed_in(5500000101, "Padaria Pão Quente Ltda", "11.222.333/0001-81"),
              typed_in(5500000102, "Maria Aparecida Souza", "529.982.247-25")),
)

SETS = {s.name: s for s in (DEMO,)}


class UnknownFixture(ValueError):
    pass


def check(names: Iterable[str]) -> tuple[str, ...]:
    """The names, each a known set; UnknownFixture names the one that is not."""
    names = tuple(names)
    for name in names:
        if name not in SETS:
            raise UnknownFixture(f"unknown sandbox fixture set {name!r} (known: {', '.join(SETS)})")
    return names


def load(store: Store, app_key: str, names: Iterable[str]) -> list[str]:
    """Load each set not yet loaded into the company of `app_key`; returns those loaded now."""
    loaded = []
    for name in check(names):
        company = store.company(app_key)
        with store.transaction():
            if company.mark_fixture(name):
                put(company, SETS[name])
                loaded.append(name)
    return loaded


def put(company, fixture: FixtureSet) -> None:
    from .empresas import set_empresa

    if fixture.empresa:
        set_empresa(company, **fixture.empresa)
    for omie_id, descricao in fixture.contas_correntes:
        company.put("conta_corrente", omie_id, conta_corrente(omie_id, descricao))
    for client in fixture.clientes:
        doc = "".join(c for c in client["cnpj_cpf"] if c.isdigit())
        if company.get("cliente", client["codigo_cliente_omie"]) is None and \
                company.by_doc("cliente", doc) is None:
            company.put("cliente", client["codigo_cliente_omie"], dict(client), doc=doc)
