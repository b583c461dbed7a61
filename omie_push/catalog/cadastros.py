"""Projetos, vendedores and categorias (geral/...)."""
from __future__ import annotations

from .model import YES_NO, Endpoint, Field, View

PROJETOS = Endpoint(
    name="projetos",
    title="Upsert Projetos",
    call="UpsertProjeto",
    path="geral/projetos/",
    kind="upsert",
    key_fields=("codInt", "codigo"),
    integration_key="codInt",
    views=(View("omie_projetos", row_key=("codInt",)),),
    lookup_call="ConsultarProjeto",
    fields=(
    Field('codigo', 'Integer', description='Unique identifier for the project in Omie.'),
    Field('codInt', 'String', 20, description='External unique identifier for the project.', required=True, required_by='omie-api §3.4'),
    Field('nome', 'String', 70, description='Name of the project.', required=True, required_by='omie-api §3.4'),
    Field('inativo', 'String', 1, description='Indicates if the project is inactive (S or N).', allowed=YES_NO),
    ),
)

VENDEDORES = Endpoint(
    name="vendedores",
    title="Upsert Vendedores",
    call="UpsertVendedor",
    path="geral/vendedores/",
    kind="upsert",
    key_fields=("codInt", "codigo"),
    integration_key="codInt",
    views=(View("omie_vendedores", row_key=("codInt",)),),
    lookup_call="ConsultarVendedor",
    fields=(
    Field('codigo', 'Integer', description='Código do Vendedor'),
    Field('codInt', 'String', 30, description='Código de Integração do Vendedor', required=True, required_by='omie-push'),
    Field('nome', 'String', 70, description='Nome do Vendedor', required=True, required_by='omie-api §3.5'),
    Field('inativo', 'String', 1, description='Indica se o vendedor está inativo [S/N]', allowed=YES_NO),
    Field('email', 'String', 100, description='E-mail do vendedor.'),
    Field('fatura_pedido', 'String', 1, description='O vendedor pode faturar um pedido?', allowed=YES_NO),
    Field('visualiza_pedido', 'String', 1, description='Visualiza apenas os pedidos em que é o vendedor. Informar “S” ou “N”.', allowed=YES_NO),
    Field('comissao', 'Decimal', description='Percentual de Comissão.'),
    ),
)

CATEGORIAS = Endpoint(
    name="categorias",
    title="Incluir Categorias",
    call="IncluirCategoria",
    path="geral/categorias/",
    kind="insert",
    key_fields=("categoria_superior", "descricao"),
    integration_key=None,
    views=(View("omie_categorias", row_key=("categoria_superior", "descricao")),),
    lookup_call="ListarCategorias",   # no integration code: found by description in its group
    note="Omie has no integration code for categories and does not refuse a repeated description: "
    "the ledger, keyed by (categoria_superior, descricao), is what stops a re-run creating it again.",
    fields=(
    Field('categoria_superior', 'String', description='Code of the category group.', required=True, required_by='omie-api §3.6'),
    Field('descricao', 'String', 50, description='Description of the category.', required=True, required_by='omie-api §3.6'),
    Field('natureza', 'String', 50, description='Description of the account nature, equivalent to the “Observation” field of the category in the ERP.'),
    Field('tipo_categoria', 'String', 3, description='Type of expense/revenue made with this category.'),
    Field('codigo_dre', 'String', 10, description='Code in the Income Statement (DRE).'),
    ),
)
