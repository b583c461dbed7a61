"""What contas a receber and contas a pagar share (omie-api.md §3.2-3.3): one record model,
the references it must name, upsert, delete, lots and listings."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from . import filters
from . import protocol as p
from . import rules
from .rules import Struct, filled
from .service import INFO, as_int, page, stamp, yes
from .shapes import consulted, listed
from .state import Company

KEYS = ("codigo_lancamento_integracao", "codigo_lancamento_omie")
LOTE_MAX = 500      # Omie documents no limit (open question 3); the sandbox refuses more than 500
LIST_FILTERS = (
    "pagina", "registros_por_pagina", "apenas_importado_api", "ordenar_por", "ordem_descrescente",
    "filtrar_por_data_de", "filtrar_por_data_ate", "filtrar_por_hora_de", "filtrar_por_hora_ate",
    "filtrar_apenas_inclusao", "filtrar_apenas_alteracao", "filtrar_por_emissao_de", "filtrar_por_emissao_ate",
    "filtrar_por_registro_de", "filtrar_por_registro_ate", "filtrar_conta_corrente",
    "filtrar_apenas_titulos_em_aberto", "filtrar_cliente", "filtrar_por_status",
    "filtrar_por_cpf_cnpj", "filtrar_por_projeto", "filtrar_por_vendedor", "exibir_obs",
)


@dataclass(frozen=True)
class Ledger:
    """The differences between the two services."""

    kind: str           # state kind: conta_receber / conta_pagar
    record: Struct      # conta_receber_cadastro / conta_pagar_cadastro
    array: str          # the listing's and the lot's array name
    origin: str         # id_origem of API-created records: APIR / APIP


def status(rec: dict, descricao: str) -> dict:
    """conta_*_cadastro_response (omie-api.md §3.2)."""
    return {"codigo_lancamento_omie": rec.get("codigo_lancamento_omie", 0),
            "codigo_lancamento_integracao": rec.get("codigo_lancamento_integracao", ""),
            "codigo_status": "0", "descricao_status": descricao}


def find(company: Company, kind: str, name: str, value: Any) -> dict:
    """The lançamento a key names, or Omie's not-found fault (105 by id, 103 by code)."""
    if name == "codigo_lancamento_integracao":
        found = company.by_code(kind, str(value))
        if found is None:
            raise p.not_found_integration("Lançamento", value)
        return found
    found = company.get(kind, as_int(value))
    if found is None:
        raise p.not_found("Lançamento", value)
    return found


def check_references(company: Company, rec: dict) -> None:
    """Everything a conta names must exist in the company (omie-api.md §6)."""
    code = rec.get("codigo_cliente_fornecedor_integracao")
    if filled(code) and not filled(rec.get("codigo_cliente_fornecedor")):
        client = company.by_code("cliente", str(code))
        if client is None:
            raise p.not_found_integration("Cliente", code)
        rec["codigo_cliente_fornecedor"] = client["codigo_cliente_omie"]
    elif filled(rec.get("codigo_cliente_fornecedor")):
        if company.get("cliente", as_int(rec["codigo_cliente_fornecedor"])) is None:
            raise p.not_found("Cliente", rec["codigo_cliente_fornecedor"])
    categories = [("codigo_categoria", rec.get("codigo_categoria"))]
    categories += [("codigo_categoria", c.get("codigo_categoria")) for c in rec.get("categorias") or []
                   if isinstance(c, dict)]
    for tag, value in categories:
        if filled(value):
            found = company.get("categoria", str(value))
            if found is None or found.get("totalizadora") == "S":
                raise p.missing_reference("Código da categoria", tag, value)
    for tag, kind, what in (("id_conta_corrente", "conta_corrente", "Código da conta corrente"),
                            ("codigo_projeto", "projeto", "Código do projeto"),
                            ("codigo_vendedor", "vendedor", "Código do vendedor")):
        if filled(rec.get(tag)) and company.get(kind, as_int(rec[tag])) is None:
            raise p.missing_reference(what, tag, rec[tag])


def status_titulo(rec: dict) -> str:
    vencimento = rules.parse_date("data_vencimento", rec["data_vencimento"])
    today = date.today()
    return "A VENCER" if vencimento > today else "VENCE HOJE" if vencimento == today else "ATRASADO"


def save(company: Company, ledger: Ledger, param: dict) -> dict:
    """Upsert by integration code (or Omie id), with Omie's alteration semantics."""
    rec = rules.drop_read_only(rules.check_values(param, ledger.record), ledger.record)
    rules.key_of(rec, *KEYS)
    code = rec.get("codigo_lancamento_integracao")
    existing = None
    if filled(rec.get("codigo_lancamento_omie")):
        existing = find(company, ledger.kind, "codigo_lancamento_omie", rec["codigo_lancamento_omie"])
        if filled(code) and existing.get("codigo_lancamento_integracao") != str(code):
            raise p.not_found_integration("Lançamento", code)
    elif filled(code):
        existing = company.by_code(ledger.kind, str(code))
    if existing is None:
        rules.check_required(rec, ["data_vencimento", "valor_documento"])
        rules.key_of(rec, "codigo_cliente_fornecedor", "codigo_cliente_fornecedor_integracao")
    else:
        for tag in ("data_vencimento", "valor_documento"):
            if tag in rec and not filled(rec[tag]):
                raise p.required(tag)
    check_references(company, rec)
    if existing is None:
        today, _ = stamp()
        defaults = {"numero_parcela": "001/001", "data_previsao": rec["data_vencimento"],
                    "data_emissao": today}
        record = {"codigo_lancamento_omie": company.new_id(), **defaults,
                  **{k: v for k, v in rec.items() if v is not None and (filled(v) or k not in defaults)},
                  "id_origem": ledger.origin, "importado_api": "S", "info": INFO.new()}
        descricao = "Lançamento cadastrado com sucesso!"
    else:
        record = rules.merge(existing, rec)
        record["codigo_lancamento_omie"] = existing["codigo_lancamento_omie"]
        record["info"] = INFO.altered(existing.get("info"))
        descricao = "Lançamento alterado com sucesso!"
    record["status_titulo"] = status_titulo(record)
    company.put(ledger.kind, record["codigo_lancamento_omie"], record,
                code=record.get("codigo_lancamento_integracao"))
    return status(record, descricao)


def excluir(company: Company, ledger: Ledger, param: dict, id_tag: str) -> dict:
    """ExcluirContaReceber keys on chave_lancamento, ExcluirContaPagar on codigo_lancamento_omie."""
    name, value = rules.key_of(param, id_tag, "codigo_lancamento_integracao")
    found = find(company, ledger.kind, "codigo_lancamento_omie" if name == id_tag else name, value)
    company.delete(ledger.kind, found["codigo_lancamento_omie"])
    return status(found, "Lançamento excluído com sucesso!")


def consultar(company: Company, ledger: Ledger, param: dict) -> dict:
    name, value = rules.key_of(param, "codigo_lancamento_omie", "codigo_lancamento_integracao")
    return consulted(find(company, ledger.kind, name, value), ledger.record)


def lote_whole(company: Company, ledger: Ledger, param: dict) -> dict:
    """A lot answered without per-record statuses: kept whole or refused whole."""
    records = lot_records(ledger, param)
    for record in records:
        save(company, ledger, record)
    return {"lote": lot_number(param), "codigo_status": "0",
            "descricao_status": "Lote processado com sucesso!"}


def lote_each(company: Company, ledger: Ledger, param: dict) -> tuple[dict, str]:
    """A lot with a status per record (status_lote): each record kept or refused alone."""
    results, committed = [], False
    for record in lot_records(ledger, param):
        try:
            with company.store.savepoint():
                results.append(save(company, ledger, record))
                committed = True
        except p.OmieFault as fault:
            results.append({"codigo_lancamento_omie": 0,
                            "codigo_lancamento_integracao": str(record.get("codigo_lancamento_integracao", "")),
                            "codigo_status": fault.faultcode.rsplit("-", 1)[-1],
                            "descricao_status": fault.faultstring})
    body = {"lote": lot_number(param), "codigo_status": "0",
            "descricao_status": "Lote processado com sucesso!", "status_lote": results}
    return body, ("committed" if committed else "read")


def lot_records(ledger: Ledger, param: dict) -> list[dict]:
    records = param.get(ledger.array)
    if not isinstance(records, list) or not records:
        raise p.required(ledger.array)
    if len(records) > LOTE_MAX:
        raise p.lot_too_big(LOTE_MAX)
    return records


def lot_number(param: dict) -> Any:
    lote = as_int(param.get("lote"))
    return lote if lote is not None else param.get("lote", 0)


ORDERS = {"CODIGO": filters.text_order("codigo_lancamento_omie"),
          "CODIGO_INTEGRACAO": filters.text_order("codigo_lancamento_integracao"),
          "DATA_VENCIMENTO": filters.date_order("data_vencimento"),
          "DATA_EMISSAO": filters.date_order("data_emissao"),
          "DATA_INCLUSAO": filters.stamp_order(INFO, inclusion=True),
          "DATA_ALTERACAO": filters.stamp_order(INFO, inclusion=False),
          "DATA_PAGAMENTO": filters.date_order("data_pagamento")}   # no payments: insertion order
EQUAL = {"filtrar_cliente": "codigo_cliente_fornecedor", "filtrar_conta_corrente": "id_conta_corrente",
         "filtrar_por_projeto": "codigo_projeto", "filtrar_por_vendedor": "codigo_vendedor",
         "filtrar_por_status": "status_titulo"}


def listar(company: Company, ledger: Ledger, param: dict) -> dict:
    records = filters.by_time(company.all(ledger.kind), param, INFO)
    for filtro, tag in EQUAL.items():
        if filled(param.get(filtro)):
            records = [r for r in records if str(r.get(tag, "")) == str(param[filtro])]
    if filled(param.get("filtrar_por_cpf_cnpj")):
        digits = "".join(c for c in str(param["filtrar_por_cpf_cnpj"]) if c.isdigit())
        client = company.by_doc("cliente", digits)
        wanted = client["codigo_cliente_omie"] if client else None
        records = [r for r in records if r.get("codigo_cliente_fornecedor") == wanted]
    for filtro, cmp in (("filtrar_por_emissao_de", 1), ("filtrar_por_emissao_ate", -1)):
        if filled(param.get(filtro)):
            limit = rules.parse_date(filtro, str(param[filtro]))
            records = [r for r in records if r.get("data_emissao") and
                       (rules.parse_date("data_emissao", r["data_emissao"]) - limit).days * cmp >= 0]
    shown = [listed(r) for r in filters.ordered(records, param, ORDERS)]
    if not yes(param, "exibir_obs"):
        for r in shown:
            r.pop("observacao", None)
    return page(shown, param, ledger.array)
