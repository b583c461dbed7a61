"""TrafficMiddleware: Omie's limits, latency and injected faults around the sandbox's ASGI app.

The inner app marks every answer with the private header `x-sandbox-outcome` (`read`,
`committed` or `error`); this middleware reads it, decides, and strips it before the client sees
it. A body that is not an Omie call (no JSON, no `call`) goes to the app untouched.
"""
from __future__ import annotations

import asyncio

from . import answers
from .answers import Answer
from .config import TrafficConfig
from .drop import drop, quiet_uvicorn_logs
from .faults import Draw, FaultInjector
from .limits import Limits
from .request import CallInfo, call_info, read_body

OUTCOME_HEADER = b"x-sandbox-outcome"
OUTCOMES = ("read", "committed", "error")


class TrafficMiddleware:
    """An ASGI app: `TrafficMiddleware(create_app(...), TrafficConfig.parse(limits="real"))`."""

    def __init__(self, app, config: TrafficConfig | None = None):
        self.app = app
        self.config = config or TrafficConfig()
        self.limits = Limits(self.config) if self.config.limits.enabled else None
        self.faults = FaultInjector(self.config)
        quiet_uvicorn_logs()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        body = await read_body(receive)
        replay = _replay(body, receive)
        info = call_info(scope, body)
        if info is None:
            return await self.app(scope, replay, _without_outcome(send))
        await self._call(info, scope, replay, send)

    async def _call(self, info: CallInfo, scope, receive, send) -> None:
        draw = self.faults.draw(info)
        if self.faults.in_burst(info):
            return await _send(send, answers.too_many_requests(f"burst|{info.fingerprint}"))
        started = self.config.clock.now()
        if self.limits is not None:
            refusal = self.limits.admit(info, started)
            if refusal is not None:
                return await _send(send, refusal)
        reached_app, outcome = False, None
        try:
            if draw.latency_s > 0:
                await asyncio.sleep(draw.latency_s)
            early = await self._fault_before_app(info, draw, send)
            if early is not None:
                return await _send(send, early)
            reached_app = True
            answer, outcome = await _run_app(self.app, scope, receive, info)
        finally:
            if self.limits is not None:
                self.limits.finish(info, started, self.config.clock.now(),
                                   reached_app=reached_app, outcome=outcome)
        await self._answer(info, draw, answer, outcome, send)

    async def _fault_before_app(self, info: CallInfo, draw: Draw, send) -> Answer | None:
        """The injected fault that stops the call before the simulator, if any (slow only delays)."""
        kind = draw.before
        if kind == "broken":
            return answers.broken_response()
        if kind in ("html502", "html503", "html504"):
            return answers.html_error(int(kind[4:]))
        if kind == "burst429":
            self.faults.start_burst(info)
            return answers.too_many_requests(f"burst|{info.fingerprint}")
        if kind == "drop":
            await drop(send, None, "injected fault 'drop', before the call ran")
        if kind == "slow":
            await asyncio.sleep(self.config.faults.seconds["slow"])
        return None

    async def _answer(self, info: CallInfo, draw: Draw, answer: Answer, outcome: str,
                      send) -> None:
        """Send the simulator's answer, unless a write committed and an after-commit fault hides it."""
        if outcome == "committed" and draw.after_commit == "redundant_after_commit":
            return await _send(send, answers.redundant(self.config.redundant_window_s))
        if outcome == "committed" and draw.after_commit == "drop_after_commit":
            await drop(send, answer, "injected fault 'drop_after_commit', the write was committed")
        if outcome == "committed" and draw.after_commit == "slow_after_commit":
            # committed, then the answer is held: a client that gives up (or is killed) in
            # between does not know the write landed
            await asyncio.sleep(self.config.faults.seconds["slow_after_commit"])
        await _send(send, answer)


async def _run_app(app, scope, receive, info: CallInfo) -> tuple[Answer, str]:
    """Run the simulator and keep its whole answer (headers stripped of the outcome mark)."""
    start, chunks = {}, []

    async def capture(message):
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != OUTCOME_HEADER]
    marked = {k.lower(): v for k, v in start.get("headers", [])}.get(OUTCOME_HEADER, b"").decode()
    status = start.get("status", 500)
    outcome = marked if marked in OUTCOMES else _guess_outcome(status, info)
    return _Passed(status, b"".join(chunks), headers), outcome


def _guess_outcome(status: int, info: CallInfo) -> str:
    """For an answer the simulator did not mark (e.g. a 404 from routing)."""
    if status >= 400:
        return "error"
    return "read" if info.is_read else "committed"


class _Passed(Answer):
    """The simulator's own answer, with its own headers (minus the outcome mark)."""

    def __init__(self, status: int, body: bytes, headers: list):
        super().__init__(status, body)
        object.__setattr__(self, "_headers", _fix_length(headers, len(body)))

    @property
    def headers(self):
        return self._headers


def _fix_length(headers: list, length: int) -> list:
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    return kept + [(b"content-length", str(length).encode())]


async def _send(send, answer: Answer) -> None:
    await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
    await send({"type": "http.response.body", "body": answer.body})


def _replay(body: bytes, receive):
    """A `receive` that hands the app the body already read, then the real channel."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _without_outcome(send):
    async def strip(message):
        if message["type"] == "http.response.start":
            message = dict(message, headers=[(k, v) for k, v in message.get("headers", [])
                                             if k.lower() != OUTCOME_HEADER])
        await send(message)

    return strip
