"""/api/v1/financas/contareceber/ (omie-api.md §3.2)."""
from __future__ import annotations

from ..catalog import CONTAS_RECEBER
from . import lancamentos as lan
from . import rules
from .rules import Tag, arr, struct
from .service import Call, calls

RECORD = rules.from_catalog(CONTAS_RECEBER, "conta_receber_cadastro")
LEDGER = lan.Ledger("conta_receber", RECORD, "conta_receber_cadastro", "APIR")
CHAVE = struct("conta_receber_cadastro_chave", Tag("chave_lancamento", "Integer"),
               Tag("codigo_lancamento_integracao", "String", 60))
LCR_CHAVE = struct("lcrChave", Tag("codigo_lancamento_omie", "Integer"),
                   Tag("codigo_lancamento_integracao", "String", 60))
LOTE = struct("conta_receber_lote", "lote", arr("conta_receber_cadastro", RECORD))
LISTAR = struct("lcrListarRequest", *lan.LIST_FILTERS)

CALLS = calls(
    Call("UpsertContaReceber", RECORD, lambda c, prm: lan.save(c, LEDGER, prm)),
    Call("UpsertContaReceberPorLote", LOTE, lambda c, prm: lan.lote_each(c, LEDGER, prm)),
    Call("ExcluirContaReceber", CHAVE, lambda c, prm: lan.excluir(c, LEDGER, prm, "chave_lancamento")),
    Call("ConsultarContaReceber", LCR_CHAVE, lambda c, prm: lan.consultar(c, LEDGER, prm)),
    Call("ListarContasReceber", LISTAR, lambda c, prm: lan.listar(c, LEDGER, prm)),
)
