"""Omie's wire protocol as the sandbox speaks it: faults, answers and the read/write split.

Every text here is Omie's own where omie-api.md quotes one (§1.5); where Omie's text is unknown
the sandbox's choice is written in the same style and listed in docs/sandbox.md (open questions).
Answers are JSON with every non-ASCII character escaped as \\uXXXX, as Omie sends them (§1.3).
"""
from __future__ import annotations

import json
from typing import Any, Literal

# The private header that tells the traffic middleware what became of a call; it strips it.
OUTCOME_HEADER = "x-sandbox-outcome"
Outcome = Literal["read", "committed", "error"]

READ_PREFIXES = ("Listar", "Consultar", "Pesquisar")


def call_kind(call: str) -> Literal["read", "write"]:
    """Omie lets up to 4 reads of a method run at once but one write (omie-api.md §2)."""
    return "read" if call.startswith(READ_PREFIXES) else "write"


CONTENT_TYPE = "application/json; encoding=UTF-8"     # what Omie's answers say (omie-api.md §9)
WARNING_HEADER = "omieapi-warning"


def encode(body: Any) -> bytes:
    """JSON as Omie's PHP `json_encode` writes it (omie-api.md §1.3, §9): non-ASCII escaped as
    \\uXXXX, `/` as `\\/`, and money without trailing zeros (`799`, not `799.0`)."""
    text = json.dumps(whole_numbers(body), ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/").encode("ascii")


def whole_numbers(value: Any) -> Any:
    """Floats that are whole become ints (1000.0 -> 1000), as PHP prints them."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {k: whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole_numbers(v) for v in value]
    return value


def warning_of(body: Any) -> str | None:
    """The `omieapi-warning` header of a write's answer: "<id> - <descricao>" (omie-api.md §9);
    the id is the record's Omie id where the answer names one, else the status code [I]."""
    if not isinstance(body, dict):
        return None
    for status, text in (("codigo_status", "descricao_status"), ("status", "descricao"),
                         ("cCodStatus", "cDescStatus")):
        if text in body:
            ident = next((body[k] for k in ("codigo_cliente_omie", "codigo_lancamento_omie",
                                            "codigo", "nCodCtr") if body.get(k) not in (None, "", 0)),
                         body.get(status, ""))
            return f"{ident} - {body[text]}"
    return None


class OmieFault(Exception):
    """A fault the sandbox answers as Omie does: `{faultstring, faultcode}`, HTTP 500 by default."""

    def __init__(self, faultstring: str, faultcode: str, http_status: int = 500):
        super().__init__(faultstring)
        self.faultstring = faultstring
        self.faultcode = faultcode
        self.http_status = http_status

    def body(self) -> dict[str, str]:
        return {"faultstring": self.faultstring, "faultcode": self.faultcode}


# --- the envelope ---------------------------------------------------------------------------

def invalid_credentials() -> OmieFault:
    """omie-api.md §1.5, HTTP 403 [C]."""
    return OmieFault("A chave de acesso está inválida ou o aplicativo está suspenso.",
                     "SOAP-ENV:Server", 403)


def bad_json() -> OmieFault:
    """H-ERR lists the text, not the code (open question 2): the sandbox uses SOAP-ENV:Client."""
    return OmieFault("JSON request with SyntaxError", "SOAP-ENV:Client")


def invalid_json_object() -> OmieFault:
    """Valid JSON that is not Omie's envelope (H-ERR's other text)."""
    return OmieFault("Invalid JSON Object", "SOAP-ENV:Client")


def unknown_call(call: str) -> OmieFault:
    """Omie's text is unknown (open question 2); this is what PHP's SoapServer, behind Omie,
    says for a method the service does not have."""
    return OmieFault(f'Function ("{call}") is not a valid method for this service',
                     "SOAP-ENV:Server")


def bad_param() -> OmieFault:
    """`param` must be an array with exactly one object (omie-api.md §1.2); text unknown."""
    return OmieFault("ERROR: A tag [param] deve ser um array com um único objeto!",
                     "SOAP-ENV:Client-5001")


def unknown_tag(tag: str, complex_type: str) -> OmieFault:
    """omie-api.md §1.2/§1.5 [C]: one tag per answer."""
    return OmieFault(f"ERROR: Tag [{tag}] não faz parte da estrutura do tipo complexo "
                     f"[{complex_type}]!", "SOAP-ENV:Client-5001")


# --- record rules ---------------------------------------------------------------------------

def required(tag: str) -> OmieFault:
    """Text [C]; code unknown (open question 9): the sandbox uses Client-102."""
    return OmieFault(f"ERROR: O preenchimento da tag [{tag}] é obrigatório!",
                     "SOAP-ENV:Client-102")


def required_one_of(tags: tuple[str, ...]) -> OmieFault:
    """The multi-key variant of the required-field fault (omie-api.md §1.5)."""
    names = " ou ".join(f"[{t}]" for t in tags)
    return OmieFault(f"ERROR: O preenchimento das tags {names} é obrigatório!",
                     "SOAP-ENV:Client-102")


def invalid_value(tag: str, allowed: tuple[str, ...]) -> OmieFault:
    """omie-api.md §1.5 [C]: Client-105 with the allowed values quoted."""
    values = ", ".join(f"'{v}'" for v in allowed)
    return OmieFault(f"ERROR: O preenchimento inválido da tag [{tag}]! "
                     f"Valores permitidos: {values}.", "SOAP-ENV:Client-105")


def too_long(tag: str, length: int) -> OmieFault:
    """Omie refuses the whole record (omie-api.md §1.5, §5.9); its text is unknown."""
    return OmieFault(f"ERROR: O conteúdo da tag [{tag}] ultrapassa o tamanho máximo de "
                     f"[{length}] caracteres!", "SOAP-ENV:Client-102")


def bad_date(tag: str) -> OmieFault:
    """Dates are dd/mm/aaaa (omie-api.md §4); the text for an ISO date is unknown, the code is
    that of Omie's known date fault (Client-104)."""
    return OmieFault(f"ERROR: A data informada na tag [{tag}] é inválida! "
                     "Utilize o formato dd/mm/aaaa.", "SOAP-ENV:Client-104")


def bad_year(tag: str) -> OmieFault:
    """omie-api.md §1.5 [1: WAL ✅]."""
    return OmieFault(f"ERROR: O ano informado na tag [{tag}] deve ser maior que 1900!",
                     "SOAP-ENV:Client-104")


def bad_time(tag: str) -> OmieFault:
    """A time that is not hh:mm:ss (text unknown; the code of Omie's date faults)."""
    return OmieFault(f"ERROR: A hora informada na tag [{tag}] é inválida! "
                     "Utilize o formato hh:mm:ss.", "SOAP-ENV:Client-104")


def bad_number(tag: str) -> OmieFault:
    """A number field that holds something else (text unknown)."""
    return OmieFault(f"ERROR: O conteúdo da tag [{tag}] deve ser numérico!",
                     "SOAP-ENV:Client-102")


def bad_email(tag: str, value: str) -> OmieFault:
    """An invalid address refuses the whole record (omie-api.md §5.9 [1]); text unknown."""
    return OmieFault(f"ERROR: O e-mail [{value}] informado na tag [{tag}] é inválido!",
                     "SOAP-ENV:Client-102")


def bad_document(tag: str, value: str) -> OmieFault:
    """A CNPJ/CPF whose check digits fail: refused (omie-api.md §4 [1]); text unknown."""
    return OmieFault(f"ERROR: O CNPJ/CPF [{value}] informado na tag [{tag}] é inválido!",
                     "SOAP-ENV:Client-102")


# --- not found, duplicates ------------------------------------------------------------------

def not_found(what: str, code: Any, cadastrado: str = "cadastrado") -> OmieFault:
    """By Omie id: Client-105 (omie-api.md §1.5 [C]). `what`: Cliente, Lançamento, ..."""
    return OmieFault(f"ERROR: {what} não {cadastrado} para o Código [{code}] !",
                     "SOAP-ENV:Client-105")


def not_found_integration(what: str, code: Any) -> OmieFault:
    """By integration code: Client-103 (omie-api.md §1.5)."""
    return OmieFault(f"ERROR: {what} não cadastrado para o Código de Integração [{code}]!",
                     "SOAP-ENV:Client-103")


def duplicate_document(formatted: str, omie_id: int, integration_code: str | None) -> OmieFault:
    """omie-api.md §1.5 [C]: the text names the existing record; code unknown (open q. 9)."""
    return OmieFault(f"ERROR: Cliente já cadastrado para o CPF/CNPJ [{formatted}] com o Id "
                     f"[{omie_id}] e código de integração [{integration_code or ''}] ! (add)",
                     "SOAP-ENV:Client-102")


def duplicate_integration_code(code: str, omie_id: int) -> OmieFault:
    """omie-api.md §1.5 [C]."""
    return OmieFault(f"ERROR: Cliente já cadastrado para o Código de Integração [{code}] "
                     f"com o nCod [{omie_id}] !", "SOAP-ENV:Client-102")


def missing_reference(what: str, tag: str, value: Any) -> OmieFault:
    """A reference that does not exist; `what`: "Código da categoria", "Código do projeto", ...
    Omie uses 102 for category/account validation errors (omie-api.md §1.5, PIPEFY); the text
    is the sandbox's."""
    return OmieFault(f"ERROR: {what} [{value}] informado na tag [{tag}] não está cadastrado!",
                     "SOAP-ENV:Client-102")


def empty_page(page: int) -> OmieFault:
    """omie-api.md §1.5 [C]: an empty page is a fault, never an empty list."""
    return OmieFault(f"ERROR: Não existem registros para a página [{page}]!",
                     "SOAP-ENV:Client-5113")


def lot_too_big(limit: int) -> OmieFault:
    """Lots larger than Omie's limit (text unknown, open question 3)."""
    return OmieFault(f"ERROR: O lote deve conter no máximo [{limit}] registros!",
                     "SOAP-ENV:Client-102")


def group_full(superior: str) -> OmieFault:
    """A category group already holds 99 categories, inactive ones included (H-CAT)."""
    return OmieFault(f"ERROR: Não é possível incluir mais categorias na categoria superior "
                     f"[{superior}]! O limite de 99 categorias foi atingido.",
                     "SOAP-ENV:Client-102")


def client_in_use(omie_id: int) -> OmieFault:
    """ExcluirCliente of a client that títulos or contracts name (text unknown)."""
    return OmieFault(f"ERROR: Não é possível excluir o cliente [{omie_id}], pois ele possui "
                     "lançamentos ou contratos vinculados!", "SOAP-ENV:Client-102")


def integration_code_in_use(code: str, omie_id: int) -> OmieFault:
    """AssociarCodIntCliente with a code another client holds (open question 10)."""
    return OmieFault(f"ERROR: O código de integração [{code}] já está associado ao cliente "
                     f"[{omie_id}]!", "SOAP-ENV:Client-102")
