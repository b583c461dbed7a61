"""/api/v1/geral/vendedores/ (omie-api.md §3.5)."""
from __future__ import annotations

from ..catalog import VENDEDORES
from . import cadastro, rules
from .rules import Tag, struct
from .service import Call, calls

RECORD = rules.from_catalog(VENDEDORES, "vendUpsertRequest")
# codInt is required by omie-push's ledger, not by Omie: only nome is Omie's (omie-api.md §3.5).
KIND = cadastro.Kind("vendedor", "Vendedor", RECORD, ("nome",))
CONSULTAR = struct("vendConsultarRequest", Tag("codigo", "Integer"), Tag("codInt", "String", 30))
LISTAR = struct("vendListarRequest", "pagina", "registros_por_pagina", "apenas_importado_api",
                "ordenar_por", "ordem_descrescente", "filtrar_por_data_de", "filtrar_por_data_ate",
                "filtrar_por_hora_de", "filtrar_por_hora_ate", "filtrar_apenas_inclusao",
                "filtrar_apenas_alteracao", "filtrar_por_email", "filtrar_por_nome")

CALLS = calls(
    Call("UpsertVendedor", RECORD, lambda c, prm: cadastro.upsert(c, KIND, prm)),
    Call("ConsultarVendedor", CONSULTAR, lambda c, prm: cadastro.consultar(c, KIND, prm)),
    Call("ListarVendedores", LISTAR, lambda c, prm: cadastro.listar(
        c, KIND, prm, {"filtrar_por_nome": "nome", "filtrar_por_email": "email"})),
)
