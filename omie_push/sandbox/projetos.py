"""/api/v1/geral/projetos/ (omie-api.md §3.4)."""
from __future__ import annotations

from ..catalog import PROJETOS
from . import cadastro, rules
from .rules import Tag, struct
from .service import Call, calls

RECORD = rules.from_catalog(PROJETOS, "projUpsertRequest")
KIND = cadastro.Kind("projeto", "Projeto", RECORD, ("codInt", "nome"))
CONSULTAR = struct("projConsultarRequest", Tag("codigo", "Integer"), Tag("codInt", "String", 20))
LISTAR = struct("projListarRequest", "pagina", "registros_por_pagina", "apenas_importado_api",
                "ordenar_por", "ordem_descrescente", "filtrar_por_data_de", "filtrar_por_data_ate",
                "filtrar_por_hora_de", "filtrar_por_hora_ate", "filtrar_apenas_inclusao",
                "filtrar_apenas_alteracao", "nome_projeto")

CALLS = calls(
    Call("UpsertProjeto", RECORD, lambda c, prm: cadastro.upsert(c, KIND, prm)),
    Call("ConsultarProjeto", CONSULTAR, lambda c, prm: cadastro.consultar(c, KIND, prm)),
    Call("ListarProjetos", LISTAR, lambda c, prm: cadastro.listar(c, KIND, prm, {"nome_projeto": "nome"})),
)
