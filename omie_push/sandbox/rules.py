"""Omie's rules on the data: the structure of each complex type and the checks on its values.

Structures come from the endpoint catalog (`omie_push.catalog`, the single source of truth for
fields, lengths, allowed values and dates) plus the extra fields omie-api.md lists that the
connector does not (e.g. infAdic.cNumEncap, vencTextos.cCodPerRef) and the sub-fields of nested
objects. An object whose sub-fields no source lists is "open": its sub-tags are not checked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ..catalog import YES_NO, Endpoint
from . import protocol as p

DATE_RE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


@dataclass(frozen=True)
class Tag:
    """One tag of a complex type. `struct` describes an Object, or the elements of an Array."""

    name: str
    type: str = "String"            # Integer, Decimal, String, Text, Array, Object, Boolean, Any
    length: int | None = None
    allowed: tuple[str, ...] | None = None
    is_date: bool = False
    struct: "Struct | None" = None
    read_only: bool = False


@dataclass(frozen=True)
class Struct:
    """A complex type, named as Omie names it in the Client-5001 fault."""

    name: str
    tags: dict[str, Tag] = field(default_factory=dict)
    open: bool = False              # sub-tags unknown to every source: not checked

    def __add__(self, more: Iterable[Tag]) -> "Struct":
        return Struct(self.name, {**self.tags, **{t.name: t for t in more}}, self.open)


def struct(name: str, *tags: Tag | str) -> Struct:
    """A complex type; a bare name is a loosely typed tag (request filters)."""
    made = [t if isinstance(t, Tag) else Tag(t, "Any") for t in tags]
    return Struct(name, {t.name: t for t in made})


def open_struct(name: str) -> Struct:
    return Struct(name, open=True)


def obj(name: str, s: Struct, **kw) -> Tag:
    return Tag(name, "Object", struct=s, **kw)


def arr(name: str, s: Struct, **kw) -> Tag:
    return Tag(name, "Array", struct=s, **kw)


def flag(name: str) -> Tag:
    return Tag(name, "String", 1, YES_NO)


# Sub-fields of nested objects, from omie-api.md §3 and PLIB's WSDL-generated classes.
NESTED: dict[str, Tag] = {
    "tags": arr("tags", struct("tags", Tag("tag", "String"))),     # no source gives its length
    "caracteristicas": arr("caracteristicas", struct(
        "caracteristicas", Tag("campo", "String", 30), Tag("conteudo", "String", 60))),
    "categorias": arr("categorias", struct(
        "categorias", Tag("codigo_categoria", "String", 20), Tag("valor", "Decimal"),
        Tag("percentual", "Decimal"))),
    "distribuicao": arr("distribuicao", struct(
        "distribuicao", Tag("cCodDep", "String", 40), Tag("cDesDep", "String", 50),
        Tag("nValDep", "Decimal"), Tag("nPerDep", "Decimal"))),
    "recomendacoes": obj("recomendacoes", struct(
        "recomendacoes", "numero_parcelas", "codigo_vendedor", "email_fatura", "gerar_boletos",
        "codigo_transportadora", "tipo_assinante")),
    "enderecoEntrega": obj("enderecoEntrega", struct(
        "enderecoEntrega", "entRazaoSocial", "entCnpjCpf", "entEndereco", "entNumero",
        "entComplemento", "entBairro", "entCEP", "entEstado", "entCidade", "entSepararEndereco",
        "entTelefone", "entIE")),
    "dadosBancarios": obj("dadosBancarios", struct(
        "dadosBancarios", "codigo_banco", "agencia", "conta_corrente", "doc_titular",
        "nome_titular", "transf_padrao", "cChavePix")),
}


def tag_of(f) -> Tag:
    """The Tag of a catalog Field."""
    if f.type in ("Array", "Object"):
        known = NESTED.get(f.name)
        if known is not None:
            return known
        return Tag(f.name, f.type, struct=open_struct(f.name), read_only=f.read_only)
    return Tag(f.name, f.type, f.length, f.allowed, f.is_date, read_only=f.read_only)


def from_catalog(endpoint: Endpoint, name: str, section: str | None = None,
                 extra: Iterable[Tag] = ()) -> Struct:
    """The complex type made of the catalog fields of one section of an endpoint."""
    tags = [tag_of(f) for f in endpoint.fields if f.section == section]
    return Struct(name, {t.name: t for t in tags}) + extra


# --- checks ---------------------------------------------------------------------------------

def check_tags(value: Any, s: Struct) -> None:
    """Refuse the first tag that is not part of the complex type, nested objects included."""
    if s.open or not isinstance(value, dict):
        return
    for key, item in value.items():
        tag = s.tags.get(key)
        if tag is None:
            raise p.unknown_tag(key, s.name)
        if tag.struct is not None:
            for element in (item if isinstance(item, list) else [item]):
                check_tags(element, tag.struct)


def check_values(record: dict, s: Struct) -> dict:
    """Lengths, allowed values, dates and numbers of every tag; returns the record with numbers
    as numbers. The first bad value refuses the whole record (omie-api.md §5.9)."""
    clean = {}
    for key, value in record.items():
        tag = s.tags.get(key) if not s.open else None
        clean[key] = value if tag is None else check_value(tag, value)
    return clean


def check_value(tag: Tag, value: Any) -> Any:
    if value is None or value == "":
        return value
    if tag.struct is not None:
        if tag.type == "Array":
            items = value if isinstance(value, list) else [value]
            return [check_values(v, tag.struct) if isinstance(v, dict) else v for v in items]
        return check_values(value, tag.struct) if isinstance(value, dict) else value
    if tag.type in ("Integer", "Decimal"):
        return number(tag, value)
    if tag.type in ("String", "Text") and not isinstance(value, (dict, list)):
        text = value if isinstance(value, str) else str(value)
        if tag.length and len(text) > tag.length:
            raise p.too_long(tag.name, tag.length)
        if tag.allowed and text not in tag.allowed:
            raise p.invalid_value(tag.name, tag.allowed)
        if tag.is_date:
            parse_date(tag.name, text)
        return text
    return value


def number(tag: Tag, value: Any) -> int | float:
    """Integers and decimals as JSON numbers; numeric strings are tolerated (Omie's PHP
    coerces them, omie-api.md §3.1 lote example)."""
    if isinstance(value, bool):
        raise p.bad_number(tag.name)
    if isinstance(value, (int, float)):
        return int(value) if tag.type == "Integer" and float(value).is_integer() else value
    try:
        as_float = float(str(value).strip())
    except ValueError:
        raise p.bad_number(tag.name) from None
    return int(as_float) if tag.type == "Integer" and as_float.is_integer() else as_float


def parse_date(tag: str, text: str) -> date:
    """dd/mm/aaaa only: an ISO date is refused (omie-api.md §4)."""
    m = DATE_RE.match(text)
    if not m:
        raise p.bad_date(tag)
    d, mth, y = (int(g) for g in m.groups())
    if y <= 1900:
        raise p.bad_year(tag)
    try:
        return date(y, mth, d)
    except ValueError:
        raise p.bad_date(tag) from None


def filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def check_required(record: dict, names: Iterable[str]) -> None:
    for name in names:
        if not filled(record.get(name)):
            raise p.required(name)


def key_of(record: dict, *names: str) -> tuple[str, Any]:
    """The first filled key field, or the multi-key required fault."""
    for name in names:
        if filled(record.get(name)):
            return name, record[name]
    raise p.required_one_of(names)


def document(tag: str, value: Any) -> tuple[str, str]:
    """A CNPJ or CPF: (digits, formatted); check digits validated with validate-docbr."""
    from validate_docbr import CNPJ, CPF  # light, but only needed on writes of clientes

    text = str(value)
    digits = re.sub(r"\D", "", text)
    checker = CPF() if len(digits) == 11 else CNPJ() if len(digits) == 14 else None
    if checker is None or not checker.validate(digits):
        raise p.bad_document(tag, text)
    return digits, checker.mask(digits)


def check_emails(tag: str, value: Any) -> None:
    """A comma-separated list of addresses, each name@domain.tld (omie-api.md §3.1, §5.9)."""
    for address in str(value).split(","):
        if not EMAIL_RE.match(address.strip()):
            raise p.bad_email(tag, address.strip())


def merge(stored: dict, incoming: dict) -> dict:
    """Omie's alteration (omie-api.md §3.1 [1: KYBER]): an empty string erases (the field is
    then stored empty, and answered `""`, omie-api.md §9), an absent field keeps, an array
    (tags, ...) replaces the whole list, an object merges the same way."""
    result = dict(stored)
    for key, value in incoming.items():
        if value is None:
            continue
        if value == "":
            result[key] = ""
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def drop_read_only(record: dict, s: Struct) -> dict:
    """Read-only tags (info, status_titulo, ...) are accepted on writes and ignored."""
    return {k: v for k, v in record.items() if not (k in s.tags and s.tags[k].read_only)}
