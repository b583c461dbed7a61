"""What each kind of answer to the preflight's ListarEmpresas means (client/preflight.py), at
the transport (httpx.MockTransport): stop with exit 3 only when the URL or the key is wrong."""
from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from omie_push.client import TargetSettings, make_sender
from omie_push.errors import FatalError

from fake_omie import BAD_KEY, BROKEN, REDUNDANT

SETTINGS = TargetSettings("t", "https://omie.example/api/v1", "K-1", "S-secret-xyz")


def check(handler):
    seen = []

    def recording(request):
        seen.append(json.loads(request.content)["param"][0])
        return handler(request)

    async def go():
        async with make_sender(SETTINGS, transport=httpx.MockTransport(recording)) as sender:
            return await sender.preflight()
    return asyncio.run(go()), seen


@pytest.mark.parametrize("status, body, fragment", [
    (502, "<html>Bad Gateway</html>", "not now"),
    (500, BROKEN, "Broken response"),
    (500, REDUNDANT, "REDUNDANT"),
    (429, {"error_code": 429, "error_message": "Too Many Requests"}, "not now"),
])
def test_faults_of_an_answering_omie_let_the_run_go_on(status, body, fragment):
    answer = (lambda r: httpx.Response(status, text=body)) if isinstance(body, str) else \
        (lambda r: httpx.Response(status, json=body))
    found, seen = check(answer)
    assert found.company is None and fragment in found.note and len(seen) == 1


@pytest.mark.parametrize("status, body, named", [
    (403, BAD_KEY, "app key K-1"),
    (404, "<html>Not Found</html>", "https://omie.example/api/v1"),
    (301, "", "https://omie.example/api/v1"),
    (200, "<html>a login page</html>", "https://omie.example/api/v1"),
])
def test_a_wrong_key_or_url_stops_naming_it_never_the_secret(status, body, named):
    answer = (lambda r: httpx.Response(status, text=body)) if isinstance(body, str) else \
        (lambda r: httpx.Response(status, json=body))
    with pytest.raises(FatalError) as stopped:
        check(answer)
    assert named in str(stopped.value) and "S-secret-xyz" not in str(stopped.value)
    assert stopped.value.exit_code == 3


def test_no_answer_is_tried_three_times_within_seconds():
    def refused(request):
        raise httpx.ConnectError("[Errno 111] Connection refused")

    with pytest.raises(FatalError) as stopped:
        check(refused)
    assert "https://omie.example/api/v1 does not answer (ConnectError" in str(stopped.value)


def test_the_company_is_named_and_the_page_size_changes_between_runs():
    company = {"empresas_cadastro": [{"razao_social": "Alfa Ltda", "cnpj": "11.444.777/0001-61"}]}
    first, seen = check(lambda r: httpx.Response(200, json=company))
    second, seen_again = check(lambda r: httpx.Response(200, json=company))
    assert first.company == "Alfa Ltda (CNPJ 11.444.777/0001-61)"
    assert seen[0] != seen_again[0]            # never an identical (REDUNDANT) request
