"""Rows for the traffic benchmarks and end-to-end tests: valid, distinct, deterministic Items.

Each endpoint's Items are what the pusher would build: `param` as Omie's param[0], `key` the
integration code. CPFs carry real check digits (the sandbox validates them).
"""
from __future__ import annotations

from omie_push.client.types import Item


def cpf(n: int) -> str:
    """The n-th valid CPF (digits only), from a 9-digit base with its two check digits."""
    base = [int(c) for c in f"{100_000_000 + n * 7919 % 899_999_999:09d}"]
    for size in (9, 10):
        total = sum(d * w for d, w in zip(base, range(size + 1, 1, -1)))
        base.append((total * 10 % 11) % 10)
    return "".join(map(str, base))


def clientes(n: int, prefix: str = "C", first_cpf: int = 0) -> list[Item]:
    """`first_cpf`: where this batch's CPFs start, so two batches never share one."""
    return [Item(f"{prefix}{i:05d}", {"codigo_cliente_integracao": f"{prefix}{i:05d}",
                                      "razao_social": f"Cliente {prefix}{i}",
                                      "cnpj_cpf": cpf(first_cpf + i),
                                      "cidade": "SAO PAULO (SP)", "estado": "SP"}, f"c{i}")
            for i in range(n)]


def receber(n: int, prefix: str = "R", client_prefix: str = "C", clients: int = 0) -> list[Item]:
    """Receivables of the clients `clientes(clients or n, client_prefix)` (sent first)."""
    clients = clients or n
    return [Item(f"{prefix}{i:05d}", {"codigo_lancamento_integracao": f"{prefix}{i:05d}",
                                      "codigo_cliente_fornecedor_integracao": f"{client_prefix}{i % clients:05d}",
                                      "data_vencimento": "10/12/2026", "valor_documento": 100.0 + i,
                                      "codigo_categoria": "1.01.02", "id_conta_corrente": 4850011001},
                 f"r{i}") for i in range(n)]


def pagar(n: int, prefix: str = "P", client_prefix: str = "C") -> list[Item]:
    return [Item(f"{prefix}{i:05d}", {"codigo_lancamento_integracao": f"{prefix}{i:05d}",
                                      "codigo_cliente_fornecedor_integracao": f"{client_prefix}{i % 50:05d}",
                                      "data_vencimento": "15/12/2026", "valor_documento": 50.0 + i,
                                      "codigo_categoria": "2.02.01", "id_conta_corrente": 4850011002},
                 f"p{i}") for i in range(n)]


def projetos(n: int, prefix: str = "PRJ") -> list[Item]:
    return [Item(f"{prefix}{i:05d}", {"codInt": f"{prefix}{i:05d}", "nome": f"Projeto {i}"}, f"j{i}")
            for i in range(n)]


def vendedores(n: int, prefix: str = "V") -> list[Item]:
    return [Item(f"{prefix}{i:05d}", {"codInt": f"{prefix}{i:05d}", "nome": f"Vendedor {i}",
                                      "email": f"v{i}@example.com.br"}, f"v{i}") for i in range(n)]
