"""/api/v1/financas/contapagar/ (omie-api.md §3.3)."""
from __future__ import annotations

from ..catalog import CONTAS_PAGAR
from . import lancamentos as lan
from . import rules
from .rules import Tag, arr, struct
from .service import Call, calls

RECORD = rules.from_catalog(CONTAS_PAGAR, "conta_pagar_cadastro")
LEDGER = lan.Ledger("conta_pagar", RECORD, "conta_pagar_cadastro", "APIP")
CHAVE = struct("conta_pagar_cadastro_chave", Tag("codigo_lancamento_omie", "Integer"),
               Tag("codigo_lancamento_integracao", "String", 60))
LOTE = struct("conta_pagar_lote", "lote", arr("conta_pagar_cadastro", RECORD))
LISTAR = struct("lcpListarRequest", *lan.LIST_FILTERS)

CALLS = calls(
    Call("UpsertContaPagar", RECORD, lambda c, prm: lan.save(c, LEDGER, prm)),
    Call("UpsertContaPagarPorLote", LOTE, lambda c, prm: lan.lote_whole(c, LEDGER, prm)),
    Call("ExcluirContaPagar", CHAVE, lambda c, prm: lan.excluir(c, LEDGER, prm, "codigo_lancamento_omie")),
    Call("ConsultarContaPagar", CHAVE, lambda c, prm: lan.consultar(c, LEDGER, prm)),
    Call("ListarContasPagar", LISTAR, lambda c, prm: lan.listar(c, LEDGER, prm)),
)
