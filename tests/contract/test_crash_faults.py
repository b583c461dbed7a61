"""Faults for crash trials (issue 17, item 8; docs/sandbox-traffic.md): a write that committed
and whose answer is late, lost or disguised as REDUNDANT, over real HTTP."""
from __future__ import annotations

import time

import httpx
import pytest

from .conftest import REAL, Target

CLIENTES = "geral/clientes/"

pytestmark = pytest.mark.skipif(REAL, reason="injected faults are the sandbox's")


def served(faults: str):
    from omie_push.sandbox.testing import serve

    return serve({"crash-key": "crash-secret"}, traffic={"limits": "off", "faults": faults})


def upsert(uid: str) -> dict:
    return {"codigo_cliente_integracao": uid, "razao_social": "Trial"}


def test_slow_after_commit_answers_late_after_the_write_landed(uid):
    with served("slow_after_commit=1@1.5") as url:
        target = Target(url, "crash-key", "crash-secret", http=httpx.Client(timeout=0.4))
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):              # the client gives up first...
            target.call(CLIENTES, "UpsertCliente", upsert(uid))
        got = target.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
        assert got["razao_social"] == "Trial"               # ...but the write had committed
        assert time.monotonic() - started < 1.5             # and was readable before its answer
        patient = Target(url, "crash-key", "crash-secret", http=httpx.Client(timeout=10))
        started = time.monotonic()
        answer = patient.ok(CLIENTES, "UpsertCliente", upsert(uid + "p"))
        assert answer["codigo_status"] == "0" and time.monotonic() - started >= 1.4
        reads = time.monotonic()
        patient.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})
        assert time.monotonic() - reads < 1.0               # reads are never held
        for t in (target, patient):
            t.http.close()


def test_drop_after_commit_loses_the_answer_of_a_committed_write(uid):
    with served("drop_after_commit=1") as url:
        target = Target(url, "crash-key", "crash-secret")
        with pytest.raises(httpx.RemoteProtocolError):
            target.call(CLIENTES, "UpsertCliente", upsert(uid))
        assert target.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})["razao_social"] == "Trial"
        target.http.close()


def test_redundant_after_commit_disguises_a_committed_write(uid):
    with served("redundant_after_commit=1") as url:
        target = Target(url, "crash-key", "crash-secret")
        body = target.fault(CLIENTES, "UpsertCliente", upsert(uid))
        assert body["faultcode"] == "SOAP-ENV:Client-6" and "REDUNDANT" in body["faultstring"]
        assert target.ok(CLIENTES, "ConsultarCliente", {"codigo_cliente_integracao": uid})["razao_social"] == "Trial"
        target.http.close()
