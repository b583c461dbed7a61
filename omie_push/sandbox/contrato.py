"""/api/v1/servicos/contrato/ (omie-api.md §3.7): contratoCadastro, a nested record.

Items and departments are replaced whole on alteration (as tags are on clientes); Omie's own
behaviour there is not documented (docs/sandbox.md, open questions).
"""
from __future__ import annotations

from ..catalog import CONTRATOS
from . import protocol as p
from . import rules
from .rules import Tag, arr, filled, flag, obj, open_struct, struct
from . import filters
from .service import INFO_CADASTRO, Call, as_int, calls, page, yes
from .shapes import consulted, listed
from .state import Company


def section(sec: str, name: str, *extra: Tag) -> rules.Struct:
    return rules.from_catalog(CONTRATOS, name, sec, extra)


def required_of(sec: str) -> list[str]:
    """Omie's required fields of a section (omie-push's own ledger key excluded)."""
    return [f.name for f in CONTRATOS.fields
            if f.section == sec and f.required and f.required_by != "omie-push"]


CABECALHO = section("cabecalho", "cabecalho")
INF_ADIC = section("infAdic", "infAdic", Tag("cNumEncap", "String", 20), flag("cUsoConsumo"))
VENC_TEXTOS = section("vencTextos", "vencTextos", Tag("cCodPerRef", "String", 3),
                      Tag("cDiaIni", "String", 2), Tag("cDiaFim", "String", 2))
EMAIL = section("emailCliente", "emailCliente", flag("cEnvViaUnica"))
OBS = section("observacoes", "observacoes")
DEPARTAMENTOS = section("departamentos", "departamentos")
ITEM_CABECALHO = section("itensContrato.itemCabecalho", "itemCabecalho")
ITEM_DESCR = section("itensContrato.itemDescrServ", "itemDescrServ")
ITEM_IMPOSTOS = section("itensContrato.itemImpostos", "itemImpostos", Tag("cUtilizaValorImposto", "String", 1),
                        Tag("redBaseINSS", "Decimal"), Tag("redBasePIS", "Decimal"),
                        Tag("redBaseCOFINS", "Decimal"), Tag("lDeduzISS", "Boolean"))
ITEM_OUTRAS = struct("itemOutrasInf", Tag("dItVigInicial", "String", 10, is_date=True),
                     Tag("dItVigFinal", "String", 10, is_date=True), Tag("nTipoItVigFinal", "Any"))
ITEM = struct("itensContrato", obj("itemCabecalho", ITEM_CABECALHO), obj("itemDescrServ", ITEM_DESCR),
              obj("itemImpostos", ITEM_IMPOSTOS), obj("itemOutrasInf", ITEM_OUTRAS),
              obj("itemLeiTranspImp", open_struct("itemLeiTranspImp")),
              obj("itemViaUnica", open_struct("itemViaUnica")))
CONTRATO = struct(
    "contratoCadastro", obj("cabecalho", CABECALHO), arr("departamentos", DEPARTAMENTOS),
    obj("infAdic", INF_ADIC), obj("vencTextos", VENC_TEXTOS), arr("itensContrato", ITEM),
    obj("emailCliente", EMAIL), obj("observacoes", OBS),
    obj("despesasReembolsaveis", open_struct("despesasReembolsaveis")),
    obj("produtosUtilizados", open_struct("produtosUtilizados")),
    obj("infoCadastro", open_struct("infoCadastro"), read_only=True))
CHAVE = struct("contratoChave", Tag("nCodCtr", "Integer"), Tag("cCodIntCtr", "String", 20))
CONSULTAR = struct("csConsultarRequest", obj("contratoChave", CHAVE))
LISTAR = struct("csListarRequest", "pagina", "registros_por_pagina", "filtrar_por_data_de",
                "filtrar_por_data_ate", "filtrar_por_hora_de", "filtrar_por_hora_ate",
                "filtrar_apenas_inclusao", "filtrar_apenas_alteracao", "filtrar_cnpj_cpf",
                "filtrar_cliente", "cExibeObs", "cExibirProdutos", "cExibirInfoCadastro")
ITEM_SERVICE_FIELDS = ("natOperacao", "codServMunic", "codLC116", "quant", "valorUnit")


def find(company: Company, name: str, value) -> dict:
    if name == "nCodCtr":
        found = company.get("contrato", as_int(value))
        if found is None:
            raise p.not_found("Contrato", value)
        return found
    found = company.by_code("contrato", str(value))
    if found is None:
        raise p.not_found_integration("Contrato", value)
    return found


def check_new(rec: dict) -> None:
    """Required fields of a new contract, items included (omie-api.md §3.7)."""
    cab = rec.get("cabecalho") or {}
    rules.check_required(cab, required_of("cabecalho"))
    rules.check_required(rec.get("vencTextos") or {}, required_of("vencTextos"))
    for item in rec.get("itensContrato") or []:
        head = item.get("itemCabecalho") or {}
        needed = required_of("itensContrato.itemCabecalho")
        if filled(head.get("codServico")):   # taken from the service cadastre instead
            needed = [n for n in needed if n not in ITEM_SERVICE_FIELDS]
        rules.check_required(head, needed)
        rules.check_required(item.get("itemDescrServ") or {}, required_of("itensContrato.itemDescrServ"))


def check_references(company: Company, rec: dict) -> None:
    cab = rec.get("cabecalho") or {}
    if filled(cab.get("nCodCli")) and company.get("cliente", as_int(cab["nCodCli"])) is None:
        raise p.not_found("Cliente", cab["nCodCli"])
    inf = rec.get("infAdic") or {}
    if filled(inf.get("cCodCateg")):
        found = company.get("categoria", str(inf["cCodCateg"]))
        if found is None or found.get("totalizadora") == "S":
            raise p.missing_reference("Código da categoria", "cCodCateg", inf["cCodCateg"])
    for tag, kind, what in (("nCodVend", "vendedor", "Código do vendedor"),
                            ("nCodProj", "projeto", "Código do projeto"),
                            ("nCodCC", "conta_corrente", "Código da conta corrente"),
                            ("nIdDestinatario", "cliente", "Código do cliente")):
        if filled(inf.get(tag)) and company.get(kind, as_int(inf[tag])) is None:
            raise p.missing_reference(what, tag, inf[tag])


def compute(company: Company, record: dict) -> None:
    """What Omie fills in: item codes and totals, the monthly total."""
    total = 0.0
    for item in record.get("itensContrato") or []:
        head = item.setdefault("itemCabecalho", {})
        head.setdefault("codItem", company.new_id())
        gross = float(head.get("quant", 1) or 0) * float(head.get("valorUnit", 0) or 0)
        discount = float(head.get("valorDesconto", 0) or 0)
        if head.get("cTpDesconto") == "P":
            discount = gross * float(head.get("aliqDesconto", 0) or 0) / 100
        head["valorTotal"] = round(gross - discount, 2)
        total += head["valorTotal"]
    record["cabecalho"]["nValTotMes"] = round(total, 2)


def upsert(company: Company, param: dict) -> dict:
    rec = rules.drop_read_only(rules.check_values(param, CONTRATO), CONTRATO)
    cab = rec.get("cabecalho")
    if not isinstance(cab, dict):
        raise p.required("cabecalho")
    rules.key_of(cab, "cCodIntCtr", "nCodCtr")
    existing = None
    if filled(cab.get("nCodCtr")):
        existing = find(company, "nCodCtr", cab["nCodCtr"])
    elif filled(cab.get("cCodIntCtr")):
        existing = company.by_code("contrato", str(cab["cCodIntCtr"]))
    check_references(company, rec)
    if existing is None:
        check_new(rec)
        record = {**rec, "infoCadastro": INFO_CADASTRO.new()}
        record["cabecalho"] = {"nCodCtr": company.new_id(), "cCodSit": "10",
                               **{k: v for k, v in cab.items() if filled(v)}}
        descricao = "Contrato cadastrado com sucesso!"
    else:
        for sec in ("cabecalho", "vencTextos"):
            for tag in required_of(sec):
                if tag in (rec.get(sec) or {}) and not filled(rec[sec][tag]):
                    raise p.required(tag)
        record = rules.merge(existing, rec)
        record["cabecalho"]["nCodCtr"] = existing["cabecalho"]["nCodCtr"]
        record["infoCadastro"] = INFO_CADASTRO.altered(existing.get("infoCadastro"))
        descricao = "Contrato alterado com sucesso!"
    compute(company, record)
    cab = record["cabecalho"]
    company.put("contrato", cab["nCodCtr"], record, code=cab.get("cCodIntCtr"))
    return {"cCodIntCtr": cab.get("cCodIntCtr", ""), "nCodCtr": cab["nCodCtr"],
            "cCodStatus": "0", "cDescStatus": descricao}


def consultar(company: Company, param: dict) -> dict:
    chave = param.get("contratoChave") or {}
    name, value = rules.key_of(chave, "nCodCtr", "cCodIntCtr")
    return {"contratoCadastro": consulted(find(company, name, value), CONTRATO)}


def listar(company: Company, param: dict) -> dict:
    records = filters.by_time(company.all("contrato"), param, INFO_CADASTRO)
    if filled(param.get("filtrar_cliente")):
        records = [r for r in records if str(r["cabecalho"].get("nCodCli")) == str(param["filtrar_cliente"])]
    if filled(param.get("filtrar_cnpj_cpf")):
        digits = "".join(c for c in str(param["filtrar_cnpj_cpf"]) if c.isdigit())
        client = company.by_doc("cliente", digits)
        wanted = client["codigo_cliente_omie"] if client else None
        records = [r for r in records if r["cabecalho"].get("nCodCli") == wanted]
    shown = []
    for r in records:
        if not yes(param, "cExibeObs"):
            r.pop("observacoes", None)
        if not yes(param, "cExibirInfoCadastro"):
            r.pop("infoCadastro", None)
        shown.append(listed(r))
    return page(shown, param, "contratoCadastro")


CALLS = calls(
    Call("UpsertContrato", CONTRATO, upsert),
    Call("ConsultarContrato", CONSULTAR, consultar),
    Call("ListarContratos", LISTAR, listar),
)
