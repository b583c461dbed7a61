"""A view being prepared does not hold up another endpoint's calls: reading, validating and
building payloads run in a worker thread, and the event loop keeps pacing the other endpoints
(issue 16). Here one view's payload step is made two seconds slower with
native work (Polars, as a big view's preparation is) while another endpoint is sending; before,
the event loop stood still meanwhile and not one call went out."""
from __future__ import annotations

import json
import random
import time

import polars as pl

from validate_docbr import CNPJ

from omie_push.push import columnar

from fake_omie import FakeOmie
from .test_run import FAST, push

def clientes(n: int) -> str:
    """n clients, each its own valid CNPJ (Omie refuses a CNPJ twice)."""
    random.seed(16)
    cnpjs = {CNPJ().generate(mask=True) for _ in range(3 * n)}
    rows = ", ".join(f"('C-{i}', 'Cliente {i} Ltda', '{c}')" for i, c in enumerate(sorted(cnpjs)[:n]))
    return f"select * from (values {rows}) t(codigo_cliente_integracao, razao_social, cnpj_cpf)"



CATEGORIAS = """select * from (values ('1.01', 'Vendas A'), ('1.01', 'Vendas B'))
    t(categoria_superior, descricao)"""
SLOW_SECONDS = 4.0


def test_a_slow_prepare_does_not_delay_another_endpoints_calls(fake_project, monkeypatch):
    (fake_project.root / "omie_push.yml").write_text(FAST)
    fake_project.model("omie_clientes", clientes(60), "clientes")
    fake_project.model("omie_categorias", CATEGORIAS, "categorias")
    omie = FakeOmie()
    window: dict[str, float] = {}
    real = columnar.payload_texts

    def slow(endpoint, frame):
        if endpoint.name == "categorias":
            deadline = time.monotonic() + 30
            while not _calls(omie, "UpsertCliente") and time.monotonic() < deadline:
                time.sleep(0.01)            # start once the clientes are being sent
            window["start"] = time.monotonic()
            numbers = pl.Series(range(1_000_000)).shuffle(seed=16)
            while time.monotonic() < window["start"] + SLOW_SECONDS:
                numbers.sort()              # native work, as a big view's preparation is
            window["end"] = time.monotonic()
        return real(endpoint, frame)

    monkeypatch.setattr(columnar, "payload_texts", slow)
    result = push(fake_project, omie)
    assert result.exit_code == 0, result.output
    assert window, "the categorias view was never prepared"
    during = [t for t in _calls(omie, "UpsertCliente") if window["start"] <= t <= window["end"]]
    # before, the loop stood still for the whole slow prepare: not one call in the window, and
    # the run's longest loop stall was the slow prepare itself
    assert len(during) >= 5, (len(during), window)
    lag = json.loads(result.output[result.output.index("{"):])["loop_lag_max_ms"]
    assert lag < SLOW_SECONDS * 1000 / 4, lag


def _calls(omie: FakeOmie, call: str) -> list[float]:
    return [t for t, name, _ in list(omie.requests) if name == call]
