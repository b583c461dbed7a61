"""The embedded target: the same app through httpx.ASGITransport, limits on by default."""
from __future__ import annotations

import asyncio

import httpx

from omie_push.sandbox.embedded import asgi_transport
from omie_push.sandbox.protocol import OUTCOME_HEADER

ACCOUNTS = {"emb-key": "emb-secret"}
LISTAR = {"call": "ListarCategorias", "app_key": "emb-key", "app_secret": "emb-secret",
          "param": [{"pagina": 1, "registros_por_pagina": 5}]}


def post_twice(transport, body) -> list[httpx.Response]:
    async def run():
        async with httpx.AsyncClient(transport=transport, base_url="http://omie") as c:
            return [await c.post("/api/v1/geral/categorias/", json=body) for _ in range(2)]
    return asyncio.run(run())


def test_limits_are_on_by_default(tmp_path):
    first, second = post_twice(asgi_transport(str(tmp_path / "s.sqlite"), ACCOUNTS), LISTAR)
    assert first.status_code == 200 and first.json()["registros"] == 5
    assert OUTCOME_HEADER not in first.headers           # the private mark never leaves
    assert second.status_code == 500 and second.json()["faultcode"] == "SOAP-ENV:Client-6"


def test_limits_off(tmp_path):
    answers = post_twice(asgi_transport(str(tmp_path / "s.sqlite"), ACCOUNTS, limits="off"), LISTAR)
    assert [a.status_code for a in answers] == [200, 200]


def test_a_second_transport_on_the_same_file_keeps_the_records(tmp_path):
    path = str(tmp_path / "s.sqlite")
    upsert = {"call": "UpsertProjeto", "app_key": "emb-key", "app_secret": "emb-secret",
              "param": [{"codInt": "P-1", "nome": "Projeto"}]}
    consultar = {**upsert, "call": "ConsultarProjeto", "param": [{"codInt": "P-1"}]}

    async def call(body):
        async with httpx.AsyncClient(transport=asgi_transport(path, ACCOUNTS, limits="off"),
                                     base_url="http://omie") as c:
            return await c.post("/api/v1/geral/projetos/", json=body)

    created = asyncio.run(call(upsert)).json()
    found = asyncio.run(call(consultar)).json()
    assert found["codigo"] == created["codigo"] and found["nome"] == "Projeto"
