"""The listening socket the sandbox serves on, shared by `sandbox serve` and the test server."""
from __future__ import annotations

import socket


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket with TCP_NODELAY, which the sockets uvicorn accepts inherit.

    Without it every answer on a kept-alive connection stalls about 40 ms on Nagle plus the
    client's delayed ACK, far above the Omie-like latencies the benchmarks state.
    proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets created that way.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock
