"""The shapes the catalog is made of: a Field, a View and an Endpoint.

Everything downstream (dbt schema YAML, GX suites, the schema check, payloads, the sandbox's
validation) reads these objects, so they are plain frozen dataclasses with no behaviour beyond
small derived properties.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

FieldType = Literal["Integer", "Decimal", "String", "Text", "Array", "Object"]

YES_NO = ("S", "N")


@dataclass(frozen=True)
class Field:
    """One API field of an endpoint, as the connector doc and Omie describe it."""

    name: str
    type: FieldType
    length: int | None = None
    description: str = ""
    required: bool = False
    # Where the requirement comes from: "connector" (the connector doc says Required),
    # "omie-api §N" (docs/reference/omie-api.md), or "omie-push" (the key the ledger needs).
    required_by: str | None = None
    allowed: tuple[str, ...] | None = None
    is_date: bool = False
    # Dotted nesting path in Omie's payload: None for flat endpoints, "cabecalho",
    # "itensContrato.itemCabecalho", ... for contratos.
    section: str | None = None
    read_only: bool = False
    note: str = ""
    # "connector" for the 256 fields of the connector doc; the Excluir key fields come from
    # omie-api.md, which the connector doc does not list.
    source: str = "connector"
    # Numbers that must be greater than zero (a título's amount): refused before any call.
    positive: bool = False

    @property
    def type_label(self) -> str:
        """The type as the connector doc writes it: String(60), Decimal, ..."""
        return f"{self.type}({self.length})" if self.length else self.type

    def to_dict(self) -> dict:
        data = asdict(self)
        data["allowed"] = list(self.allowed) if self.allowed else None
        return data


@dataclass(frozen=True)
class View:
    """One dbt view that feeds an endpoint: which sections of the payload its columns fill."""

    name: str
    sections: tuple[str | None, ...] = (None,)
    # For child views (contract items, departments): the column naming the parent record.
    parent_key: str | None = None
    # Columns that identify one row of this view (unique together).
    row_key: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lot:
    """An Omie call that carries many records at once (omie-api.md §3.1-3.3)."""

    call: str                       # e.g. UpsertContaReceberPorLote
    array: str                      # the records' key in param[0], e.g. conta_receber_cadastro
    max_records: int | None = None  # Omie's documented cap, if any
    # Whether its answer says what became of each record (status_lote): only then can a row's
    # outcome and Omie id be known, so only then does omie-push use the lot call.
    per_record: bool = False


@dataclass(frozen=True)
class ParentRef:
    """A column of a child view that names a parent record by its integration code: when that
    parent row went wrong in this run, the child row is held rather than sent to fail."""

    column: str                     # e.g. codigo_cliente_fornecedor_integracao
    endpoints: tuple[str, ...]      # the endpoints that may hold that parent record


@dataclass(frozen=True)
class Endpoint:
    """One of the ten endpoints of the connector: its Omie call and every field."""

    name: str                      # catalog name, e.g. "clientes"
    title: str                     # as the connector doc names it, e.g. "Upsert Clientes"
    call: str                      # Omie call, e.g. "UpsertCliente"
    path: str                      # URL path below the API root, e.g. "geral/clientes/"
    kind: Literal["upsert", "insert", "delete", "associate"]
    key_fields: tuple[str, ...]    # fields that identify the record in Omie
    integration_key: str | None    # the field omie-push keys its ledger on (None: categorias)
    fields: tuple[Field, ...] = ()
    views: tuple[View, ...] = ()
    # Excluir endpoints: the key object Omie expects, one of these fields filled.
    key_object: str | None = None
    # Endpoints that must finish first in a push (their ids or records are read by this one).
    depends_on: tuple[str, ...] = ()
    parent_refs: tuple[ParentRef, ...] = ()
    lot: Lot | None = None
    # The read that says whether a record is in Omie after a lost answer (Consultar*, or
    # ListarCategorias for categorias, which have no integration code).
    lookup_call: str | None = None
    # Excluir endpoints: the upsert endpoint whose records they delete.
    deletes: str | None = None
    # Groups of fields of which at least one must be filled.
    required_one_of: tuple[tuple[str, ...], ...] = ()
    note: str = ""

    @property
    def batch_call(self) -> str | None:
        return self.lot.call if self.lot else None

    @property
    def batch_max(self) -> int | None:
        return self.lot.max_records if self.lot else None

    @property
    def sends_lots(self) -> bool:
        """Whether rows go in lots: only where the lot's answer is per record."""
        return self.lot is not None and self.lot.per_record

    @property
    def view(self) -> str:
        """The main view's name (the header view for contratos)."""
        return self.views[0].name

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{name!r} is not a field of {self.title} ({self.call})")

    def fields_of(self, view: View) -> tuple[Field, ...]:
        """The fields a view may carry: those of its sections, plus its parent key."""
        own = tuple(f for f in self.fields if f.section in view.sections)
        if view.parent_key and view.parent_key not in {f.name for f in own}:
            own = (self.field(view.parent_key),) + own
        return own

    def view_named(self, name: str) -> View:
        for v in self.views:
            if v.name == name:
                return v
        raise KeyError(name)

    def to_dict(self) -> dict:
        return {
            "name": self.name, "title": self.title, "call": self.call, "path": self.path,
            "kind": self.kind, "key_fields": list(self.key_fields),
            "integration_key": self.integration_key, "key_object": self.key_object,
            "depends_on": list(self.depends_on), "batch_call": self.batch_call,
            "batch_max": self.batch_max, "sends_lots": self.sends_lots,
            "lookup_call": self.lookup_call, "deletes": self.deletes,
            "parent_refs": [{"column": r.column, "endpoints": list(r.endpoints)}
                            for r in self.parent_refs],
            "required_one_of": [list(g) for g in self.required_one_of],
            "views": [
                {"name": v.name, "sections": list(v.sections), "parent_key": v.parent_key,
                 "row_key": list(v.row_key)} for v in self.views
            ],
            "note": self.note,
            "fields": [f.to_dict() for f in self.fields],
        }


def flags(*names: str) -> dict[str, tuple[str, ...]]:
    """Mark fields as S/N flags."""
    return {n: YES_NO for n in names}
