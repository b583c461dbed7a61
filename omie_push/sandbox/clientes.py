"""/api/v1/geral/clientes/ (omie-api.md §3.1)."""
from __future__ import annotations

from ..catalog import CLIENTES
from . import filters
from . import protocol as p
from . import rules
from .rules import Struct, Tag, arr, filled, obj, struct
from .service import INFO, Call, as_int, calls, page, yes
from .shapes import consulted, listed
from .state import Company

CLIENTE = rules.from_catalog(CLIENTES, "clientes_cadastro")
CHAVE = struct("clientes_cadastro_chave", Tag("codigo_cliente_omie", "Integer"),
               Tag("codigo_cliente_integracao", "String", 60))
LOTE = struct("clientes_lote_request", "lote", arr("clientes_cadastro", CLIENTE))
FILTRO = struct("clientesFiltro", "codigo_cliente_omie", "codigo_cliente_integracao", "cnpj_cpf",
                "razao_social", "nome_fantasia", "endereco", "bairro", "cidade", "estado", "cep",
                "contato", "email", "homepage", "inscricao_municipal", "inscricao_estadual",
                "inscricao_suframa", "pessoa_fisica", "optante_simples_nacional", "inativo",
                rules.NESTED["tags"])
LISTAR = struct("clientes_list_request", "pagina", "registros_por_pagina", "apenas_importado_api",
                "ordenar_por", "ordem_decrescente", "ordem_descrescente", "filtrar_por_data_de",
                "filtrar_por_data_ate", "filtrar_por_hora_de", "filtrar_por_hora_ate",
                "filtrar_apenas_inclusao", "filtrar_apenas_alteracao", obj("clientesFiltro", FILTRO),
                arr("clientesPorCodigo", struct("clientesPorCodigo", "codigo_cliente_omie",
                                                "codigo_cliente_integracao")),
                "exibir_caracteristicas", "exibir_obs")
KEYS = ("codigo_cliente_integracao", "codigo_cliente_omie")
LOTE_MAX = 50
EMPTY_OBJECTS = ("enderecoEntrega", "recomendacoes")   # `{}` in listings when unset (§9)
ORDERS = {"CODIGO": filters.text_order("codigo_cliente_omie"),
          "CODIGO_INTEGRACAO": filters.text_order("codigo_cliente_integracao"),
          "RAZAO_SOCIAL": filters.text_order("razao_social"),
          "NOME_FANTASIA": filters.text_order("nome_fantasia"),
          "DATA_INCLUSAO": filters.stamp_order(INFO, inclusion=True),
          "DATA_ALTERACAO": filters.stamp_order(INFO, inclusion=False)}


def status(record: dict, descricao: str) -> dict:
    """clientes_status (omie-api.md §3.1)."""
    return {"codigo_cliente_omie": record["codigo_cliente_omie"],
            "codigo_cliente_integracao": record.get("codigo_cliente_integracao", ""),
            "codigo_status": "0", "descricao_status": descricao}


def find(company: Company, omie_id, code) -> dict | None:
    """The client a write names: by Omie id (which must exist and, with a code, carry that
    code) or by integration code."""
    if filled(omie_id):
        found = company.get("cliente", as_int(omie_id))
        if found is None:
            raise p.not_found("Cliente", omie_id)
        if filled(code) and found.get("codigo_cliente_integracao") != str(code):
            raise p.not_found_integration("Cliente", code)
        return found
    if filled(code):
        return company.by_code("cliente", str(code))
    return None


def save(company: Company, param: dict, insert_only: bool = False, alter_only: bool = False) -> dict:
    """UpsertCliente / IncluirCliente / AlterarCliente: insert or alter, with the duplicate
    CNPJ/CPF check."""
    rec = rules.drop_read_only(rules.check_values(param, CLIENTE), CLIENTE)
    rules.key_of(rec, *KEYS)
    code = rec.get("codigo_cliente_integracao")
    if filled(code):
        rec["codigo_cliente_integracao"] = code = str(code)
    existing = find(company, rec.get("codigo_cliente_omie"), code)
    if insert_only and existing is not None:
        raise p.duplicate_integration_code(code, existing["codigo_cliente_omie"])
    if alter_only and existing is None:
        raise p.not_found_integration("Cliente", code)
    if filled(rec.get("email")):
        rules.check_emails("email", rec["email"])
    if filled(rec.get("cnpj_cpf")):
        digits, formatted = rules.document("cnpj_cpf", rec["cnpj_cpf"])
        rec["cnpj_cpf"] = formatted
        rec["pessoa_fisica"] = "S" if len(digits) == 11 else "N"
        other = company.by_doc("cliente", digits)
        if other and (existing is None or other["codigo_cliente_omie"] != existing["codigo_cliente_omie"]):
            raise p.duplicate_document(formatted, other["codigo_cliente_omie"],
                                       other.get("codigo_cliente_integracao"))
    if existing is None:
        rules.check_required(rec, ["razao_social"])
        record = {"codigo_cliente_omie": company.new_id(), "inativo": "N",
                  **{k: v for k, v in rec.items() if v is not None and (filled(v) or k != "inativo")},
                  "importado_api": "S", "info": INFO.new()}
        descricao = "Cliente cadastrado com sucesso!"
    else:
        if "razao_social" in rec and not filled(rec["razao_social"]):
            raise p.required("razao_social")
        record = rules.merge(existing, rec)
        record["codigo_cliente_omie"] = existing["codigo_cliente_omie"]
        record["info"] = INFO.altered(existing.get("info"))
        descricao = "Cliente alterado com sucesso!"
    store(company, record)
    return status(record, descricao)


def store(company: Company, record: dict) -> None:
    doc = "".join(ch for ch in record.get("cnpj_cpf", "") if ch.isdigit())
    company.put("cliente", record["codigo_cliente_omie"], record,
                code=record.get("codigo_cliente_integracao"), doc=doc)


def upsert(company: Company, param: dict) -> dict:
    return save(company, param)


def incluir(company: Company, param: dict) -> dict:
    return save(company, param, insert_only=True)


def alterar(company: Company, param: dict) -> dict:
    return save(company, param, alter_only=True)


def upsert_lote(company: Company, param: dict) -> dict:
    """Deprecated, at most 50, no per-record answer (omie-api.md §3.1). The sandbox processes
    it at once and whole: one refused record refuses the lot (open question 3)."""
    records = param.get("clientes_cadastro") or []
    if not isinstance(records, list) or not records:
        raise p.required("clientes_cadastro")
    if len(records) > LOTE_MAX:
        raise p.lot_too_big(LOTE_MAX)
    for record in records:
        save(company, record)
    lote = as_int(param.get("lote"))
    return {"lote": lote if lote is not None else param.get("lote", 0), "codigo_status": "0",
            "descricao_status": "Lote processado com sucesso!"}


def associar(company: Company, param: dict) -> dict:
    """AssociarCodIntCliente: attach an integration code to a client typed in Omie's screen."""
    rules.check_required(param, ["codigo_cliente_omie", "codigo_cliente_integracao"])
    omie_id, code = as_int(param["codigo_cliente_omie"]), str(param["codigo_cliente_integracao"])
    client = company.get("cliente", omie_id)
    if client is None:
        raise p.not_found("Cliente", param["codigo_cliente_omie"])
    holder = company.by_code("cliente", code)
    if holder and holder["codigo_cliente_omie"] != omie_id:
        raise p.integration_code_in_use(code, holder["codigo_cliente_omie"])
    client["codigo_cliente_integracao"] = code
    client["info"] = INFO.altered(client.get("info"))
    store(company, client)
    return status(client, "Código de integração associado com sucesso!")


def named(company: Company, param: dict) -> dict:
    """The client a clientes_cadastro_chave names, or Omie's not-found fault."""
    name, value = rules.key_of(param, "codigo_cliente_omie", "codigo_cliente_integracao")
    if name == "codigo_cliente_omie":
        found = company.get("cliente", as_int(value))
        if found is None:
            raise p.not_found("Cliente", value)
        return found
    found = company.by_code("cliente", str(value))
    if found is None:
        raise p.not_found_integration("Cliente", value)
    return found


def consultar(company: Company, param: dict) -> dict:
    return consulted(named(company, param), CLIENTE)


def excluir(company: Company, param: dict) -> dict:
    """ExcluirCliente; a client that títulos or contracts name is not deleted [S]."""
    found = named(company, param)
    omie_id = found["codigo_cliente_omie"]
    for kind in ("conta_receber", "conta_pagar"):
        if any(r.get("codigo_cliente_fornecedor") == omie_id for r in company.all(kind)):
            raise p.client_in_use(omie_id)
    if any((c.get("cabecalho") or {}).get("nCodCli") == omie_id for c in company.all("contrato")):
        raise p.client_in_use(omie_id)
    company.delete("cliente", omie_id)
    return status(found, "Cliente excluído com sucesso!")


def matches(record: dict, filtro: dict) -> bool:
    for key, wanted in filtro.items():
        if not filled(wanted):
            continue
        have = record.get(key, "")
        if key == "cnpj_cpf":   # digits match the stored formatted value (omie-api.md §3.1)
            if "".join(c for c in str(wanted) if c.isdigit()) != "".join(c for c in have if c.isdigit()):
                return False
        elif key in ("razao_social", "nome_fantasia"):
            if str(wanted).lower() not in str(have).lower():
                return False
        elif key == "tags":
            names = {t.get("tag") for t in record.get("tags", [])}
            if not {t.get("tag") for t in wanted} <= names:
                return False
        elif str(have) != str(wanted):
            return False
    return True


def selected(company: Company, param: dict) -> list[dict]:
    """The clients a listing's filters select."""
    records = filters.by_time(company.all("cliente"), param, INFO)
    if filled(param.get("clientesFiltro")):
        records = [r for r in records if matches(r, param["clientesFiltro"])]
    if filled(param.get("clientesPorCodigo")):
        wanted = [{k: str(v) for k, v in c.items() if filled(v)} for c in param["clientesPorCodigo"]]
        records = [r for r in records if any(all(str(r.get(k, "")) == v for k, v in w.items())
                                             for w in wanted)]
    return filters.ordered(records, param, ORDERS)


def listar(company: Company, param: dict) -> dict:
    shown = []
    for r in selected(company, param):
        r = listed(r, EMPTY_OBJECTS)
        if not yes(param, "exibir_obs"):
            r.pop("observacao", None), r.pop("obs_detalhadas", None)
        if not yes(param, "exibir_caracteristicas"):
            r.pop("caracteristicas", None)
        shown.append(r)
    return page(shown, param, "clientes_cadastro")


def listar_resumido(company: Company, param: dict) -> dict:
    """ListarClientesResumido: five fields per client (omie-api.md §3.1)."""
    rows = [{"codigo_cliente": r["codigo_cliente_omie"],
             "codigo_cliente_integracao": r.get("codigo_cliente_integracao", ""),
             "razao_social": r.get("razao_social", ""), "nome_fantasia": r.get("nome_fantasia", ""),
             "cnpj_cpf": r.get("cnpj_cpf", "")} for r in selected(company, param)]
    return page(rows, param, "clientes_cadastro_resumido")


CALLS = calls(
    Call("UpsertCliente", CLIENTE, upsert),
    Call("IncluirCliente", CLIENTE, incluir),
    Call("AlterarCliente", CLIENTE, alterar),
    Call("UpsertClientesPorLote", LOTE, upsert_lote),
    Call("AssociarCodIntCliente", CHAVE, associar),
    Call("ConsultarCliente", CHAVE, consultar),
    Call("ExcluirCliente", CHAVE, excluir),
    Call("ListarClientes", LISTAR, listar),
    Call("ListarClientesResumido", Struct("clientes_list_request", LISTAR.tags), listar_resumido),
)
