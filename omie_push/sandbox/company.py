"""What every new sandbox company starts with (docs/architecture.md, "The sandbox's new company").

Fixed ids and codes, so the sample dbt data can name them: three contas correntes, five category
groups with eight categories, and two clients typed in Omie's screen with no integration code
(for AssociarCodIntCliente and the duplicate CNPJ/CPF path).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .state import Company

CONTAS_CORRENTES = (
    (4850011001, "Caixinha"),
    (4850011002, "Itaú c/c"),
    (4850011003, "Banco do Brasil c/c"),
)

GROUPS = (
    ("1.01", "Receitas de Vendas e Serviços"),
    ("1.02", "Outras Receitas"),
    ("2.01", "Custos dos Serviços Prestados"),
    ("2.02", "Despesas Administrativas"),
    ("2.03", "Despesas Comerciais"),
)

CATEGORIES = (
    ("1.01.01", "Venda de Mercadorias"),
    ("1.01.02", "Serviços Prestados"),
    ("1.02.01", "Receitas Financeiras"),
    ("2.01.01", "Serviços de Terceiros"),
    ("2.02.01", "Aluguel"),
    ("2.02.02", "Energia Elétrica"),
    ("2.02.03", "Material de Escritório"),
    ("2.03.01", "Marketing e Publicidade"),
)

CLIENTS = (
    (5500000101, "Padaria Pão Quente Ltda", "11.222.333/0001-81", "11222333000181", "N"),
    (5500000102, "Maria Aparecida Souza", "529.982.247-25", "52998224725", "S"),
)

TYPED_IN = {"dInc": "02/01/2024", "hInc": "09:00:00", "uInc": "ADMIN",
            "dAlt": "02/01/2024", "hAlt": "09:00:00", "uAlt": "ADMIN", "cImpAPI": "N"}


def category(code: str, descricao: str, totalizadora: bool) -> dict:
    """A categoria_cadastro as ListarCategorias answers it (omie-api.md §3.6)."""
    receita = code.startswith("1")
    return {
        "codigo": code, "descricao": descricao, "descricao_padrao": descricao,
        "tipo_categoria": "R" if receita else "P", "conta_inativa": "N",
        "definida_pelo_usuario": "N", "conta_receita": "S" if receita else "N",
        "conta_despesa": "N" if receita else "S", "nao_exibir": "N", "natureza": "",
        "totalizadora": "S" if totalizadora else "N", "transferencia": "N", "codigo_dre": "",
        "categoria_superior": code.rsplit(".", 1)[0] if "." in code else "",
    }


def seed(company: "Company") -> None:
    """Write the starting records of a company that was just created."""
    for omie_id, descricao in CONTAS_CORRENTES:
        company.put("conta_corrente", omie_id, {"nCodCC": omie_id, "descricao": descricao})
    for code, descricao in GROUPS:
        company.put("categoria", code, category(code, descricao, totalizadora=True))
    for code, descricao in CATEGORIES:
        company.put("categoria", code, category(code, descricao, totalizadora=False))
    for omie_id, razao, formatted, digits, pf in CLIENTS:
        company.put("cliente", omie_id, {
            "codigo_cliente_omie": omie_id, "codigo_cliente_integracao": "",
            "razao_social": razao, "nome_fantasia": razao, "cnpj_cpf": formatted,
            "pessoa_fisica": pf, "inativo": "N", "importado_api": "N", "info": dict(TYPED_IN),
        }, doc=digits)
