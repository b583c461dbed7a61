"""What every new sandbox company starts with, as a new Omie app does (docs/sandbox.md).

Omie opens a new company with its default chart of categories and one cash account, and no
clients: the sandbox's new company holds the petty-cash account "Caixinha", five category groups
and eight categories (fixed codes, so sample data can name them). Anything else a company starts
with, such as the demo's bank accounts and clients typed in Omie's screens, is a fixture set
(`fixtures.py`), loaded only when asked for.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .state import Company

CONTAS_CORRENTES = (
    (4850011001, "Caixinha"),
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


def category(code: str, descricao: str, totalizadora: bool) -> dict:
    """A categoria_cadastro as ListarCategorias answers it (omie-api.md §3.6); `dadosDRE` is
    `{}` when unset, as Omie answers unset objects (§9)."""
    receita = code.startswith("1")
    return {
        "codigo": code, "descricao": descricao, "descricao_padrao": descricao,
        "tipo_categoria": "R" if receita else "P", "conta_inativa": "N",
        "definida_pelo_usuario": "N", "conta_receita": "S" if receita else "N",
        "conta_despesa": "N" if receita else "S", "nao_exibir": "N", "natureza": "",
        "totalizadora": "S" if totalizadora else "N", "transferencia": "N", "codigo_dre": "",
        "categoria_superior": code.rsplit(".", 1)[0] if "." in code else "", "dadosDRE": {},
    }


def conta_corrente(omie_id: int, descricao: str) -> dict:
    return {"nCodCC": omie_id, "descricao": descricao}


def seed(company: "Company") -> None:
    """Write the starting records of a company that was just created."""
    for omie_id, descricao in CONTAS_CORRENTES:
        company.put("conta_corrente", omie_id, conta_corrente(omie_id, descricao))
    for code, descricao in GROUPS:
        company.put("categoria", code, category(code, descricao, totalizadora=True))
    for code, descricao in CATEGORIES:
        company.put("categoria", code, category(code, descricao, totalizadora=False))
