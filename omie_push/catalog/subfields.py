"""The sub-fields of Object and Array fields, as Omie documents them where a source does.

The connector doc names these fields without their insides; omie-api.md §3 and the WSDL-generated
SDK it cites (PLIB) give what is known. A field missing here has sub-fields no source lists:
build it as Omie's own screens would, and expect Omie to refuse a tag it does not know
(`ERROR: Tag [X] não faz parte da estrutura do tipo complexo [Y]!`). `type` is "Any" where the
source names a sub-field but not its type.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubField:
    name: str
    type: str = "Any"            # String, Integer, Decimal, or Any (the source gives no type)
    length: int | None = None
    description: str = ""

    @property
    def type_label(self) -> str:
        return f"{self.type}({self.length})" if self.length else self.type


@dataclass(frozen=True)
class Shape:
    """What goes inside an Object field (one object) or an Array field (a list of these)."""

    subfields: tuple[SubField, ...]
    source: str
    example: str = ""


_CATEGORIAS = Shape((
    SubField("codigo_categoria", "String", 20, "a category code, e.g. 1.01.02"),
    SubField("valor", "Decimal", description="the amount of the document in this category"),
    SubField("percentual", "Decimal", description="or its share, in percent")),
    "omie-api.md §3.2", '[{"codigo_categoria": "1.01.02", "percentual": 100}]')
_DISTRIBUICAO = Shape((
    SubField("cCodDep", "String", 40, "department code"),
    SubField("cDesDep", "String", 50, "department description"),
    SubField("nValDep", "Decimal", description="amount in the department"),
    SubField("nPerDep", "Decimal", description="or its share, in percent")),
    "omie-api.md §3.2", '[{"cCodDep": "DEP-1", "nPerDep": 100}]')

# (endpoint, field) -> its shape
SHAPES: dict[tuple[str, str], Shape] = {
    ("clientes", "tags"): Shape((SubField("tag", "String", description="the tag's text (case-sensitive)"),),
                                "omie-api.md §3.1, §4", '[{"tag": "Fornecedor"}]'),
    ("clientes", "caracteristicas"): Shape((
        SubField("campo", "String", 30, "the characteristic's name"),
        SubField("conteudo", "String", 60, "its value")),
        "omie-api.md §3.1", '[{"campo": "Segmento", "conteudo": "Varejo"}]'),
    ("clientes", "recomendacoes"): Shape((
        SubField("numero_parcelas", description="default installments, e.g. 001"),
        SubField("codigo_vendedor", description="the Omie id of the client's vendedor (from omie_ids)"),
        SubField("email_fatura", description="where invoices are e-mailed"),
        SubField("gerar_boletos", description="S/N"),
        SubField("codigo_transportadora", description="the Omie id of the carrier"),
        SubField("tipo_assinante", description="telecom subscriber type")),
        "PLIB Clientes_cadastro (omie-api.md §0)", '{"codigo_vendedor": 2000000123, "gerar_boletos": "N"}'),
    ("clientes", "enderecoEntrega"): Shape(tuple(SubField(n) for n in (
        "entRazaoSocial", "entCnpjCpf", "entEndereco", "entNumero", "entComplemento", "entBairro",
        "entCEP", "entEstado", "entCidade", "entSepararEndereco", "entTelefone", "entIE")),
        "PLIB Clientes_cadastro (omie-api.md §0)", '{"entEndereco": "Rua A", "entNumero": "10"}'),
    ("clientes", "dadosBancarios"): Shape(tuple(SubField(n) for n in (
        "codigo_banco", "agencia", "conta_corrente", "doc_titular", "nome_titular",
        "transf_padrao", "cChavePix")),
        "PLIB Clientes_cadastro (omie-api.md §0)", '{"codigo_banco": "341", "agencia": "0001"}'),
    ("contas_receber", "categorias"): _CATEGORIAS,
    ("contas_pagar", "categorias"): _CATEGORIAS,
    ("contas_receber", "distribuicao"): _DISTRIBUICAO,
    ("contas_pagar", "distribuicao"): _DISTRIBUICAO,
    ("contas_receber", "repeticao"): Shape((
        SubField("mensal", description="S/N: repeat monthly"),
        SubField("semanal", description="S/N: repeat weekly"),
        SubField("especifico", description="a specific period"),
        SubField("repetir_por", "Integer", description="how many times, at most 120")),
        "omie-api.md §3.2", '{"mensal": "S", "repetir_por": 12}'),
}


def shape_of(endpoint: str, field: str) -> Shape | None:
    """What Omie documents inside an Object/Array field, or None where no source says."""
    return SHAPES.get((endpoint, field))
