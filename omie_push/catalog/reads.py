"""How Omie lists an endpoint's records and says who last changed them (omie-api.md §3, §8, §9).

The drift check and the live dry run read Omie's records back: the Listar* call with its time
filters (`filtrar_por_data_de`, `filtrar_por_hora_de`), the array its page holds the records
in, where a record keeps its integration code, and its info block (who altered it and when).
Records written through the API carry `uAlt` "WEBSERVICE" (§8); a person in Omie's screens
leaves a user code. Only upserts keyed on an integration code are read back: categorias have
no code and are never sent twice, Excluir and Associar records are gone or linked.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

API_USER = "WEBSERVICE"      # uInc/uAlt of a record written through the API (omie-api.md §8)
PAGE_SIZE = 500              # the most rows a Listar* page holds (omie-api.md §3.8, §8)
EMPTY_PAGE_FAULTCODE = "SOAP-ENV:Client-5113"   # a filter matching nothing: a fault, not []


@dataclass(frozen=True)
class ListRead:
    """One endpoint's Listar* call and the names its records use."""

    endpoint: str
    call: str                         # e.g. ListarClientes
    array: str                        # the page's records, e.g. clientes_cadastro
    code: tuple[str, ...]             # path to the integration code in a listed record
    block: str                        # the info block: info | infoCadastro
    d_alt: str
    h_alt: str
    u_alt: str
    extra: dict[str, Any] = field(default_factory=dict)   # asks for the info block when needed

    def code_of(self, record: dict[str, Any]) -> str | None:
        value: Any = record
        for name in self.code:
            value = value.get(name) if isinstance(value, dict) else None
        return None if value in (None, "") else str(value)

    def stamp_of(self, record: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
        """(who, day dd/mm/aaaa, hour hh:mm:ss) of the record's last change."""
        block = record.get(self.block) or {}
        return block.get(self.u_alt), block.get(self.d_alt), block.get(self.h_alt)


def _camel(endpoint: str, call: str, array: str, code: tuple[str, ...], block: str = "info",
           **extra: Any) -> ListRead:
    return ListRead(endpoint, call, array, code, block, "dAlt", "hAlt", "uAlt", dict(extra))


def _snake(endpoint: str, call: str) -> ListRead:
    return ListRead(endpoint, call, "cadastro", ("codInt",), "info", "data_alt", "hora_alt",
                    "user_alt")


READS: dict[str, ListRead] = {r.endpoint: r for r in (
    _snake("projetos", "ListarProjetos"),
    _snake("vendedores", "ListarVendedores"),
    # observations are listed only when asked for (exibir_obs / cExibeObs, omie-api.md §9),
    # and ListarContratos shows the info block only with cExibirInfoCadastro
    _camel("clientes", "ListarClientes", "clientes_cadastro", ("codigo_cliente_integracao",),
           exibir_obs="S"),
    _camel("contas_receber", "ListarContasReceber", "conta_receber_cadastro",
           ("codigo_lancamento_integracao",), exibir_obs="S"),
    _camel("contas_pagar", "ListarContasPagar", "conta_pagar_cadastro",
           ("codigo_lancamento_integracao",), exibir_obs="S"),
    _camel("contratos", "ListarContratos", "contratoCadastro", ("cabecalho", "cCodIntCtr"),
           "infoCadastro", cExibirInfoCadastro="S", cExibeObs="S"),
)}


def read_of(endpoint_name: str) -> ListRead | None:
    """The listing of an endpoint whose records omie-push can read back, else None."""
    return READS.get(endpoint_name)
