"""The one stand-in for Omie at the transport (httpx.MockTransport), for unit tests.

It keeps clients, receivables and categories by integration key, answers with Omie's shapes
and fault texts (omie-api.md §1.3-§1.5), and lets a test script faults per call:
`omie.script("UpsertCliente", fault, ...)`. Each script entry applies to the next call of that
method; `commit=True` applies the write before answering with the fault (a lost answer).
`FakeOmie.refusing(codes)` refuses the rows of those integration codes, `status=403` answers
every call as a bad key; `made` lists every (call, param) in order, but for the run's
preflight (ListarEmpresas), which `preflights` counts.

    httpx.MockTransport(omie)          # synchronous handler, no delay
    omie.transport(delay=0.01)         # asynchronous, each answer after `delay` seconds
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx

BROKEN = {"faultstring": "SOAP-ERROR: Broken response from Application Server (BG)",
          "faultcode": "SOAP-ENV:Server"}
REDUNDANT = {"faultstring": "ERROR: Consumo redundante detectado. Aguarde 16 segundos para "
             "tentar novamente (REDUNDANT).", "faultcode": "SOAP-ENV:Client-6"}
BUSY = {"faultstring": "ERROR: Já existe uma requisição desse método sendo executada e você "
        "pode tentar novamente em alguns instantes. (1)", "faultcode": "SOAP-ENV:Client-1880"}
MISUSE = {"faultcode": "MISUSE_API_PROCESS",
          "faultstring": "API bloqueada por consumo indevido. Tente novamente em 1764 segundos."}
BAD_KEY = {"faultstring": "A chave de acesso está inválida ou o aplicativo está suspenso.",
           "faultcode": "SOAP-ENV:Server"}
TOO_MANY = {"error_code": 429, "error_message": "Too Many Requests", "error_hash": "x"}


def required(tag: str) -> dict:
    """Omie's required-field fault for `tag`."""
    return {"faultstring": f"ERROR: O preenchimento da tag [{tag}] é obrigatório!",
            "faultcode": "SOAP-ENV:Client-102"}


@dataclass
class Scripted:
    status: int
    body: Any = None
    commit: bool = False
    raise_exc: type[Exception] | None = None


@dataclass
class FakeOmie:
    now: Callable[[], float] = time.monotonic
    clients: dict[str, dict] = field(default_factory=dict)        # by integration code
    clients_by_id: dict[int, dict] = field(default_factory=dict)
    receivables: dict[str, dict] = field(default_factory=dict)
    categories: list[dict] = field(default_factory=list)
    requests: list[tuple[float, str, str]] = field(default_factory=list)  # (time, call, canonical param)
    scripts: dict[str, list[Scripted]] = field(default_factory=dict)
    next_id: int = 5600000000
    in_flight: dict[str, int] = field(default_factory=dict)
    max_in_flight: dict[str, int] = field(default_factory=dict)
    refuse: Callable[[str, dict], dict | None] = lambda call, param: None
    status: int = 200                  # 403: every call answered as a bad key
    made: list[tuple[str, dict]] = field(default_factory=list)
    preflights: int = 0

    @classmethod
    def refusing(cls, codes=(), **kw) -> "FakeOmie":
        """Refuses (a required-field fault) the rows whose integration code is in `codes`."""
        codes = set(codes)

        def refuse(call, param):
            code = param.get("codigo_cliente_integracao") or param.get("codigo_lancamento_integracao")
            return required("email") if code in codes else None
        return cls(refuse=refuse, **kw)

    def codes(self, call: str) -> list[str]:
        """The integration codes sent by `call`, sorted."""
        return sorted(p.get("codigo_cliente_integracao") or p.get("codigo_lancamento_integracao")
                      for c, p in self.made if c == call)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        call, param = body["call"], body["param"][0]
        self.requests.append((self.now(), call, json.dumps(param, sort_keys=True)))
        return self._answer(request, call, param)

    def script(self, call: str, *entries: Scripted) -> None:
        self.scripts.setdefault(call, []).extend(entries)

    def calls(self, call: str) -> list[tuple[float, str]]:
        return [(t, p) for t, c, p in self.requests if c == call]

    def transport(self, delay: float = 0.0) -> httpx.MockTransport:
        import asyncio

        async def handler(request: httpx.Request) -> httpx.Response:
            body = json.loads(request.content)
            call, param = body["call"], body["param"][0]
            self.requests.append((self.now(), call, json.dumps(param, sort_keys=True)))
            self.in_flight[call] = self.in_flight.get(call, 0) + 1
            self.max_in_flight[call] = max(self.max_in_flight.get(call, 0), self.in_flight[call])
            try:
                if delay:
                    await asyncio.sleep(delay)
                return self._answer(request, call, param)
            finally:
                self.in_flight[call] -= 1

        return httpx.MockTransport(handler)

    def _answer(self, request, call, param) -> httpx.Response:
        if call == "ListarEmpresas":
            self.preflights += 1
        else:
            self.made.append((call, param))
        if self.status == 403:
            return httpx.Response(403, json=BAD_KEY)
        queue = self.scripts.get(call)
        scripted = queue.pop(0) if queue else None
        if scripted and scripted.commit:
            self.handle(call, param)
        if scripted and scripted.raise_exc:
            raise scripted.raise_exc("scripted", request=request)
        if scripted:
            if isinstance(scripted.body, str):
                return httpx.Response(scripted.status, text=scripted.body)
            return httpx.Response(scripted.status, json=scripted.body)
        refusal = self.refuse(call, param)
        if refusal:
            return httpx.Response(500, json=refusal)
        status, answer = self.handle(call, param)
        return httpx.Response(status, json=answer)

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    # ---- the calls ------------------------------------------------------------------
    def handle(self, call: str, p: dict) -> tuple[int, dict]:
        return getattr(self, f"do_{call}")(p)

    def do_ListarEmpresas(self, p):
        return 200, {"pagina": 1, "total_de_paginas": 1, "registros": 1, "total_de_registros": 1,
                     "empresas_cadastro": [{"codigo_empresa": 1, "razao_social": "Fake Omie Ltda",
                                            "nome_fantasia": "Fake", "cnpj": "11.444.777/0001-61",
                                            "inativa": "N"}]}

    def do_UpsertCliente(self, p):
        code = p["codigo_cliente_integracao"]
        cnpj = "".join(c for c in p.get("cnpj_cpf", "") if c.isdigit())
        for other in self.clients_by_id.values():
            if cnpj and other.get("_digits") == cnpj and other.get("codigo_cliente_integracao") != code:
                return 500, {"faultstring": f"ERROR: Cliente já cadastrado para o CPF/CNPJ "
                             f"[{other['cnpj_cpf']}] com o Id [{other['codigo_cliente_omie']}] e "
                             f"código de integração [{other.get('codigo_cliente_integracao', '')}] ! (add)",
                             "faultcode": "SOAP-ENV:Client-102"}
        rec = self.clients.get(code)
        if rec is None:
            rec = {"codigo_cliente_omie": self.new_id()}
            self.clients[code] = rec
            self.clients_by_id[rec["codigo_cliente_omie"]] = rec
        rec.update(p, _digits=cnpj)
        return 200, {"codigo_cliente_omie": rec["codigo_cliente_omie"],
                     "codigo_cliente_integracao": code, "codigo_status": "0",
                     "descricao_status": "Cliente cadastrado com sucesso!"}

    def do_ConsultarCliente(self, p):
        rec = self.clients.get(p.get("codigo_cliente_integracao"))
        if rec is None:
            return 500, {"faultstring": "ERROR: Cliente não cadastrado para o Código de Integração "
                         f"[{p.get('codigo_cliente_integracao')}] !", "faultcode": "SOAP-ENV:Client-103"}
        return 200, {k: v for k, v in rec.items() if not k.startswith("_")}

    def do_AssociarCodIntCliente(self, p):
        rec = self.clients_by_id[p["codigo_cliente_omie"]]
        rec["codigo_cliente_integracao"] = p["codigo_cliente_integracao"]
        self.clients[p["codigo_cliente_integracao"]] = rec
        return 200, {"codigo_cliente_omie": rec["codigo_cliente_omie"],
                     "codigo_cliente_integracao": p["codigo_cliente_integracao"],
                     "codigo_status": "0", "descricao_status": "Cliente associado com sucesso!"}

    def do_UpsertContaReceber(self, p):
        code = p["codigo_lancamento_integracao"]
        rec = self.receivables.setdefault(code, {"codigo_lancamento_omie": self.new_id()})
        rec.update(p)
        return 200, {"codigo_lancamento_omie": rec["codigo_lancamento_omie"],
                     "codigo_lancamento_integracao": code, "codigo_status": "0",
                     "descricao_status": "Lançamento cadastrado com sucesso!"}

    def do_ConsultarContaReceber(self, p):
        rec = self.receivables.get(p.get("codigo_lancamento_integracao"))
        if rec is None:
            return 500, {"faultstring": "ERROR: Lançamento não cadastrado para o Código de "
                         f"Integração [{p.get('codigo_lancamento_integracao')}]!",
                         "faultcode": "SOAP-ENV:Client-103"}
        return 200, dict(rec)

    def do_ListarClientes(self, p):
        return self._listing(p, list(self.clients.values()), "clientes_cadastro")

    def do_ListarContasReceber(self, p):
        return self._listing(p, list(self.receivables.values()), "conta_receber_cadastro")

    def _listing(self, p, records, array):
        """A page of records written through the API (filters ignored); none: Client-5113."""
        size, page = p.get("registros_por_pagina", 50), p.get("pagina", 1)
        rows = [{**{k: v for k, v in r.items() if not k.startswith("_")},
                 "info": {"uAlt": "WEBSERVICE", "dAlt": "01/01/2030", "hAlt": "10:00:00"}}
                for r in records[(page - 1) * size: page * size]]
        if not rows:
            return 500, {"faultstring": f"ERROR: Não existem registros para a página [{page}]!",
                         "faultcode": "SOAP-ENV:Client-5113"}
        return 200, {"pagina": page, "total_de_paginas": max(1, -(-len(records) // size)),
                     "registros": len(rows), "total_de_registros": len(records), array: rows}

    def do_UpsertContaReceberPorLote(self, p):
        statuses = []
        for record in p["conta_receber_cadastro"]:
            refusal = self.refuse("UpsertContaReceber", record)
            if refusal:
                statuses.append({"codigo_lancamento_integracao": record["codigo_lancamento_integracao"],
                                 "codigo_status": "1", "descricao_status": refusal["faultstring"]})
                continue
            _, ans = self.do_UpsertContaReceber(record)
            statuses.append(ans)
        return 200, {"lote": p["lote"], "codigo_status": "0", "descricao_status": "Lote processado",
                     "status_lote": statuses}

    def do_UpsertContrato(self, p):
        code = p["cabecalho"]["cCodIntCtr"]
        return 200, {"cCodIntCtr": code, "nCodCtr": self.new_id(), "cCodStatus": "0",
                     "cDescStatus": "Contrato cadastrado com sucesso!"}

    def do_IncluirCategoria(self, p):
        group = p["categoria_superior"]
        n = sum(1 for c in self.categories if c["categoria_superior"] == group) + 1
        code = f"{group}.{n:02d}"
        self.categories.append({"codigo": code, "descricao": p["descricao"], "categoria_superior": group})
        return 200, {"codigo": code, "codigo_status": "0", "descricao_status": "Categoria incluída!"}

    def do_ListarCategorias(self, p):
        size, page = p["registros_por_pagina"], p["pagina"]
        rows = self.categories[(page - 1) * size: page * size]
        if not rows:
            return 500, {"faultstring": f"ERROR: Não existem registros para a página [{page}]!",
                         "faultcode": "SOAP-ENV:Client-5113"}
        pages = max(1, -(-len(self.categories) // size))
        return 200, {"pagina": page, "total_de_paginas": pages, "registros": len(rows),
                     "total_de_registros": len(self.categories), "categoria_cadastro": rows}
