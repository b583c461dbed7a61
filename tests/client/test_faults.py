"""classify() against the real Omie answers of omie-api.md §1.5 (texts quoted as Omie sends them)."""
import httpx
import pytest

from omie_push.client.faults import FaultClass, classify
from omie_push.errors import FatalError, RecordError, RetryableError

R, P, F = FaultClass.RETRYABLE, FaultClass.RECORD, FaultClass.FATAL

# (http status, body, class, kind, wait named, existing id, maybe committed)
TABLE = [
    (403, {"faultstring": "A chave de acesso está inválida ou o aplicativo está suspenso.",
           "faultcode": "SOAP-ENV:Server"}, F, "bad_credentials", None, None, False),
    (500, {"faultstring": "ERROR: A chave de acesso não está preenchida ou não é válida!"},
     F, "bad_credentials", None, None, False),
    (500, {"faultstring": "ERROR: Esta aplicação não possui permissão para usar este método."},
     P, "no_permission", None, None, False),
    (500, {"faultstring": "ERROR: Não existem registros para a página [1]!",
           "faultcode": "SOAP-ENV:Client-5113"}, P, "no_records", None, None, False),
    (500, {"faultstring": "ERROR: Tag [X] não faz parte da estrutura do tipo complexo [Y]!",
           "faultcode": "SOAP-ENV:Client-5001"}, P, "unknown_tag", None, None, False),
    (500, {"faultstring": "ERROR: O preenchimento inválido da tag [cConcluida]! Valores permitidos: 'S', 'N'.",
           "faultcode": "SOAP-ENV:Client-105"}, P, "refused", None, None, False),
    (500, {"faultstring": "ERROR: O preenchimento da tag [cnpj_cpf] é obrigatório!"},
     P, "refused", None, None, False),
    (500, {"faultstring": "ERROR: Preencha apenas a tag [codigo_produto] ou a tag "
           "[codigo_produto_integracao] ou a tag [codigo]!", "faultcode": "SOAP-ENV:Client-103"},
     P, "refused", None, None, False),
    (500, {"faultstring": "ERROR: O ano informado na tag [filtrar_por_data_de] deve ser maior que 1900!",
           "faultcode": "SOAP-ENV:Client-104"}, P, "refused", None, None, False),
    (500, {"faultstring": "ERROR: Cliente não cadastrado para o Código [999999999] !",
           "faultcode": "SOAP-ENV:Client-105"}, P, "not_found", None, None, False),
    (500, {"faultstring": "ERROR: Lançamento não cadastrado para o Código de Integração [X]!",
           "faultcode": "SOAP-ENV:Client-103"}, P, "not_found", None, None, False),
    (500, {"faultstring": "ERROR: Cliente já cadastrado para o Código de Integração "
           "[7325099098244] com o nCod [2274524288] !", "faultcode": "SOAP-ENV:Client-102"},
     P, "duplicate_code", None, 2274524288, False),
    (500, {"faultstring": "ERROR: Cliente já cadastrado para o CPF/CNPJ [39.330.543/0001-02] com o "
           "Id [5522173861] e código de integração [65007887191] ! (add)"},
     P, "duplicate_cnpj", None, 5522173861, False),
    (500, {"faultstring": "ERROR: Cliente já cadastrado para o CPF/CNPJ [11.222.333/0001-81] com o "
           "Id [5500000101] e código de integração [] ! (add)"},
     P, "duplicate_cnpj", None, 5500000101, False),
    (500, {"faultstring": "Lançamento já cadastrado para o Código de Integração X",
           "faultcode": "SOAP-ENV:Client-102"}, P, "duplicate_code", None, None, False),
    (500, {"faultstring": "ERROR: Esta requisição já foi processada ou está sendo processada e você "
           "pode tentar novamente às 19:04:08. (1)", "faultcode": "SOAP-ENV:Client-8020"},
     R, "already_processed", None, None, True),
    (500, {"faultstring": "ERROR: Esta requisição já foi processada ou está sendo processada e você "
           "pode tentar novamente às 19:04:08. (1)", "faultcode": "SOAP-ENV:Client-1100"},
     R, "already_processed", None, None, True),
    (500, {"faultstring": "ERROR: Já existe uma requisição desse método sendo executada e você pode "
           "tentar novamente em alguns instantes. (1)", "faultcode": "SOAP-ENV:Client-1880"},
     R, "method_busy", None, None, False),
    (500, {"faultstring": "ERROR: Consumo redundante detectado. Aguarde 16 segundos para tentar "
           "novamente (REDUNDANT).", "faultcode": "SOAP-ENV:Client-6"},
     R, "redundant", 16.0, None, True),
    (500, {"faultstring": "Consumo redundante detectado. Aguarde 43 segundos para tentar novamente "
           "(REDUNDANT).", "faultcode": "SOAP-ENV:Client-6"}, R, "redundant", 43.0, None, True),
    (425, {"faultcode": "MISUSE_API_PROCESS",
           "faultstring": "API bloqueada por consumo indevido. Tente novamente em 1764 segundos."},
     F, "misuse_block", 1764.0, None, False),
    (425, {"faultcode": "MISUSE_API_PROCESS",
           "faultstring": "ERROR: API bloqueada por consumo indevido. Tente novamente em 1678 segundos."},
     F, "misuse_block", 1678.0, None, False),
    (429, {"error_code": 429, "error_message": "Too Many Requests", "error_hash": "abc"},
     R, "rate_limit", None, None, False),
    (429, "429: Too many Requests", R, "rate_limit", None, None, False),
    (500, {"faultstring": "SOAP-ERROR: Broken response from Application Server (BG)",
           "faultcode": "SOAP-ENV:Server"}, R, "broken_response", None, None, True),
    (500, {"faultstring": "SOAP-ERROR: Broken response from Application Server (4)",
           "faultcode": "SOAP-ENV:Server"}, R, "broken_response", None, None, True),
    (500, {"faultstring": "ERROR: Request timeout"}, R, "timeout", None, None, True),
    (502, "<html><body><h1>502 Bad Gateway</h1></body></html>", R, "server_error", None, None, True),
    (503, "<html>Service Unavailable</html>", R, "server_error", None, None, True),
    (504, "<html>Gateway Time-out</html>", R, "server_error", None, None, True),
    (500, "<html><body>Internal Server Error</body></html>", R, "server_error", None, None, True),
    (301, "<html>Moved Permanently</html>", F, "bad_url", None, None, False),
    (404, "<html>404 Not Found</html>", F, "bad_url", None, None, False),
    # a fault on HTTP 200 still is a fault (omie-api.md §1.4)
    (200, {"faultstring": "ERROR: O preenchimento da tag [razao_social] é obrigatório!"},
     P, "refused", None, None, False),
]


@pytest.mark.parametrize("status,body,cls,kind,wait,existing,committed", TABLE,
                         ids=[f"{t[0]}-{t[3]}-{i}" for i, t in enumerate(TABLE)])
def test_real_omie_answers(status, body, cls, kind, wait, existing, committed):
    fault = classify(status, body)
    assert fault is not None
    assert (fault.fault_class, fault.kind) == (cls, kind)
    assert fault.wait_seconds == wait
    assert fault.existing_id == existing
    assert fault.maybe_committed is committed
    if isinstance(body, dict) and "faultstring" in body:
        assert fault.faultstring == body["faultstring"]   # quoted as Omie sent it


def test_the_error_classes_match():
    wait = classify(500, TABLE[18][1]).error("UpsertCliente")
    assert isinstance(wait, RetryableError) and wait.wait_seconds == 16.0
    assert wait.faultcode == "SOAP-ENV:Client-6" and wait.call == "UpsertCliente"
    assert isinstance(classify(500, TABLE[6][1]).error(), RecordError)
    assert isinstance(classify(425, TABLE[20][1]).error(), FatalError)
    assert isinstance(classify(403, TABLE[0][1]).error(), FatalError)


def test_success_is_none():
    assert classify(200, {"codigo_status": "0", "codigo_cliente_omie": 1}) is None
    assert classify(200, b'{"codigo": 1, "status": "0"}') is None


def test_json_bytes_are_parsed():
    raw = '{"faultstring":"ERROR: Consumo redundante detectado. Aguarde 7 segundos para tentar novamente (REDUNDANT).","faultcode":"SOAP-ENV:Client-6"}'
    assert classify(500, raw.encode()).wait_seconds == 7.0


@pytest.mark.parametrize("exc,committed", [
    (httpx.ReadTimeout("t"), True), (httpx.WriteTimeout("t"), True),
    (httpx.ConnectTimeout("t"), False), (httpx.ConnectError("refused"), False),
    (httpx.RemoteProtocolError("Server disconnected without sending a response."), True),
    (httpx.ReadError("reset"), True),
])
def test_lost_answers(exc, committed):
    fault = classify(None, exc)
    assert fault.fault_class is FaultClass.RETRYABLE
    assert fault.maybe_committed is committed
    assert fault.http_status is None
