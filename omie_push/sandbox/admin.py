"""What a person does in Omie's screens, and what Omie's staff does to an app, on a state file.

The API is not the only writer of an Omie company: people type records in, change and delete
them in Omie's screens, and an app can be suspended. These functions do the same to a
sandbox's state file, so drift and many-company runs can be tested:

- `edit`: change fields of a record as a user of Omie's screens; its info block then says so
  (`uAlt` a user code, not "WEBSERVICE"; `dAlt`/`hAlt` now or the moment given);
- `create`: type a new record in (no integration code unless given, `uInc` a user code,
  `cImpAPI` "N");
- `delete`: delete a record;
- `suspend` / `resume`: the app answers 403 "A chave de acesso está inválida ou o aplicativo
  está suspenso." (omie-api.md §8) until resumed; the other keys go on.

The same checks as the API apply to the values (lengths, allowed values, dates, CNPJ/CPF, the
references of a título); a fault is raised as the `OmieFault` the API would answer. Served
sandboxes expose them at `/_sandbox/<op>` (`admin_http.py`); `omie-push sandbox edit|create|
delete|suspend|resume` runs them on a state file directly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import clientes, contapagar, contareceber, contrato, lancamentos, projetos, vendedores
from . import protocol as p
from . import rules
from .rules import Struct, Tag, filled, flag, struct
from .service import INFO, INFO_CADASTRO, SNAKE_INFO, UI_USER, Stamps, as_int
from .state import Company, Store

CATEGORIA = struct("categoria_cadastro", Tag("descricao", "String", 50), flag("conta_inativa"),
                   flag("nao_exibir"), Tag("natureza", "String"), Tag("codigo_dre", "String"))


class AdminError(ValueError):
    """A request the sandbox cannot carry out (unknown endpoint, record or company)."""


@dataclass(frozen=True)
class Editable:
    """A kind of record a person can change in Omie's screens, as the state file keeps it."""

    kind: str
    struct: Struct
    id_tag: str
    code_tag: str | None
    stamps: Stamps | None
    required: tuple[str, ...] = ()
    header: str | None = None        # contratos keep their keys in `cabecalho`


EDITABLE = {
    "clientes": Editable("cliente", clientes.CLIENTE, "codigo_cliente_omie",
                         "codigo_cliente_integracao", INFO, ("razao_social",)),
    "contas_receber": Editable("conta_receber", contareceber.RECORD, "codigo_lancamento_omie",
                               "codigo_lancamento_integracao", INFO,
                               ("data_vencimento", "valor_documento")),
    "contas_pagar": Editable("conta_pagar", contapagar.RECORD, "codigo_lancamento_omie",
                             "codigo_lancamento_integracao", INFO,
                             ("data_vencimento", "valor_documento")),
    "projetos": Editable("projeto", projetos.RECORD, "codigo", "codInt", SNAKE_INFO, ("nome",)),
    "vendedores": Editable("vendedor", vendedores.RECORD, "codigo", "codInt", SNAKE_INFO, ("nome",)),
    "contratos": Editable("contrato", contrato.CONTRATO, "nCodCtr", "cCodIntCtr", INFO_CADASTRO,
                          header="cabecalho"),
    "categorias": Editable("categoria", CATEGORIA, "codigo", None, None, ("descricao",)),
}


def editable(endpoint: str) -> Editable:
    if endpoint not in EDITABLE:
        raise AdminError(f"records of {endpoint!r} cannot be edited (known: {', '.join(EDITABLE)})")
    return EDITABLE[endpoint]


def company_of(store: Store, app_key: str) -> Company:
    if app_key not in store.companies():
        raise AdminError(f"the sandbox state has no company for app key {app_key}")
    return store.company(app_key)


def find(company: Company, ed: Editable, omie_id: Any = None, code: Any = None) -> dict:
    """The record named by its Omie id or its integration code."""
    if filled(omie_id):
        key = str(omie_id) if ed.kind == "categoria" else as_int(omie_id)
        found = company.get(ed.kind, key)
    elif filled(code) and ed.code_tag:
        found = company.by_code(ed.kind, str(code))
    else:
        raise AdminError(f"name the record by its {ed.id_tag}"
                         + (f" or its {ed.code_tag}" if ed.code_tag else ""))
    if found is None:
        raise AdminError(f"no {ed.kind} with {ed.id_tag if filled(omie_id) else ed.code_tag} "
                         f"{omie_id if filled(omie_id) else code}")
    return found


def edit(store: Store, app_key: str, endpoint: str, changes: dict, *, omie_id: Any = None,
         code: Any = None, user: str = UI_USER, at: datetime | None = None) -> dict:
    """Change fields of one record as a user of Omie's screens; returns the record as stored."""
    ed = editable(endpoint)
    company = company_of(store, app_key)
    with store.transaction():
        existing = find(company, ed, omie_id, code)
        clean = checked(company, ed, changes, existing)
        record = rules.merge(existing, clean)
        if ed.stamps:
            record[ed.stamps.block] = ed.stamps.altered(existing.get(ed.stamps.block), user, at)
        save(company, ed, record)
    return record


def create(store: Store, app_key: str, endpoint: str, fields: dict, *, user: str = UI_USER,
           at: datetime | None = None) -> dict:
    """Type a new record in Omie's screens (clientes, títulos, projetos, vendedores)."""
    ed = editable(endpoint)
    if ed.header or ed.kind == "categoria":
        raise AdminError(f"records of {endpoint!r} cannot be typed in here; use the API")
    company = company_of(store, app_key)
    with store.transaction():
        clean = checked(company, ed, fields, None)
        rules.check_required(clean, ed.required)
        record = {ed.id_tag: company.new_id(), **{k: v for k, v in clean.items() if v is not None}}
        if ed.code_tag:
            record.setdefault(ed.code_tag, "")
        if ed.stamps:
            record[ed.stamps.block] = ed.stamps.new(user, at)
        if ed.kind in ("cliente", "conta_receber", "conta_pagar"):
            record["importado_api"] = "N"
        if ed.kind == "cliente":
            record.setdefault("inativo", "N")
        save(company, ed, record)
    return record


def delete(store: Store, app_key: str, endpoint: str, *, omie_id: Any = None,
           code: Any = None) -> dict:
    """Delete one record as a user of Omie's screens; returns what it held."""
    ed = editable(endpoint)
    company = company_of(store, app_key)
    with store.transaction():
        found = find(company, ed, omie_id, code)
        company.delete(ed.kind, record_id(ed, found))
    return found


def checked(company: Company, ed: Editable, changes: dict, existing: dict | None) -> dict:
    """The changes with the API's checks applied; read-only fields are refused."""
    if not isinstance(changes, dict) or not changes:
        raise AdminError("give at least one field to change")
    rules.check_tags(changes, ed.struct)
    for name, value in changes.items():
        tag = ed.struct.tags.get(name)
        if tag is not None and tag.read_only or name in (ed.id_tag, "info", "infoCadastro"):
            raise AdminError(f"{name} is not typed in Omie's screens (Omie sets it)")
    clean = rules.check_values(changes, ed.struct)
    for name in ed.required:
        if name in clean and not filled(clean[name]):
            raise p.required(name)
    if ed.kind == "cliente":
        client_checks(company, clean, existing)
    if ed.kind in ("conta_receber", "conta_pagar"):
        lancamentos.check_references(company, clean)
    return clean


def client_checks(company: Company, clean: dict, existing: dict | None) -> None:
    if filled(clean.get("email")):
        rules.check_emails("email", clean["email"])
    code = clean.get("codigo_cliente_integracao")
    if filled(code):
        holder = company.by_code("cliente", str(code))
        if holder and (existing is None or holder["codigo_cliente_omie"] != existing["codigo_cliente_omie"]):
            raise p.integration_code_in_use(str(code), holder["codigo_cliente_omie"])
    if filled(clean.get("cnpj_cpf")):
        digits, formatted = rules.document("cnpj_cpf", clean["cnpj_cpf"])
        clean["cnpj_cpf"], clean["pessoa_fisica"] = formatted, "S" if len(digits) == 11 else "N"
        other = company.by_doc("cliente", digits)
        if other and (existing is None or other["codigo_cliente_omie"] != existing["codigo_cliente_omie"]):
            raise p.duplicate_document(formatted, other["codigo_cliente_omie"],
                                       other.get("codigo_cliente_integracao"))


def record_id(ed: Editable, record: dict) -> Any:
    return (record.get(ed.header) or {}).get(ed.id_tag) if ed.header else record[ed.id_tag]


def save(company: Company, ed: Editable, record: dict) -> None:
    """Store the record with the indexes the API's lookups use (code, CNPJ/CPF digits)."""
    if ed.kind == "cliente":
        return clientes.store(company, record)
    if ed.kind in ("conta_receber", "conta_pagar"):
        record["status_titulo"] = lancamentos.status_titulo(record)
    if ed.kind == "contrato":
        contrato.compute(company, record)
    head = record.get(ed.header) or {} if ed.header else record
    company.put(ed.kind, record_id(ed, record), record,
                code=head.get(ed.code_tag) if ed.code_tag else None)


def suspend(store: Store, app_key: str, suspended: bool = True) -> None:
    """Suspend (or resume) an app: its calls are answered 403 while the other keys go on."""
    store.set_suspended(app_key, suspended)


def parse_moment(text: str | None) -> datetime | None:
    """`dd/mm/aaaa hh:mm:ss` (or an ISO moment) -> datetime; None stays None."""
    if not text:
        return None
    for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise AdminError(f"{text!r} is not a moment: use dd/mm/aaaa hh:mm:ss") from None
