"""GX judging in a process of its own.

GX works on pandas and holds the interpreter lock for most of its work: judging 100k rows in the
pushing process stalls its event loop (every endpoint's paced calls) for hundreds of ms at a
time. Here a spawned worker process (one per pushing process, started on first use, ~3 s with
GX's import) receives the rows as Arrow IPC bytes and runs `validate_view(..., judge=True)`
there: GX and the Polars row checks on the same rows, a `SuiteError` when they disagree.

Which rows: the pusher hands over the rows that will be sent or were refused (docs/benchmarks.md,
"What GX judges"); rows whose payload Omie already accepted passed the same suite when sent.
"""
from __future__ import annotations

import atexit
import io
import pickle
import struct
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from ..errors import SuiteError

_worker: "_Worker | None" = None
_worker_lock = threading.Lock()


class _Worker:
    """`python -m omie_push.validate.gx_worker` on two pipes: the view's name (a length-prefixed
    pickle) and its rows (length-prefixed Arrow IPC bytes) in, (ok, counts or exception) out; one request at a time, sent
    from a thread of its own so callers get a Future. A child process of its own (not
    multiprocessing's spawn, which would run the caller's unguarded __main__ again)."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omie-push-gx")

    def submit(self, view_name: str, data: bytes) -> Future:
        return self.thread.submit(self._ask, view_name, data)

    def _ask(self, view_name: str, data: bytes) -> dict[str, int]:
        _send(self.process.stdin, view_name)
        _send_bytes(self.process.stdin, data)       # the rows as they are: no pickled copy
        reply = _receive(self.process.stdout)
        if reply is None:
            raise _Broken(f"the GX worker process ended (exit code {self.process.poll()})")
        ok, value = reply
        if not ok:
            raise value
        return value

    def close(self) -> None:
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except Exception:  # noqa: BLE001 - at exit: make sure it is gone
            self.process.kill()
        self.thread.shutdown(wait=False)


class _Broken(RuntimeError):
    pass


def _send(pipe, message) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(struct.pack("<Q", len(body)) + body)
    pipe.flush()


def _send_bytes(pipe, data: bytes) -> None:
    """Raw bytes behind their length; the write releases the interpreter lock while the pipe
    is full, so the event loop runs meanwhile."""
    pipe.write(struct.pack("<Q", len(data)))
    pipe.write(data)
    pipe.flush()


def _receive_bytes(pipe) -> bytes | None:
    head = pipe.read(8)
    if len(head) < 8:
        return None
    (size,) = struct.unpack("<Q", head)
    return pipe.read(size)


def _receive(pipe):
    head = pipe.read(8)
    if len(head) < 8:
        return None
    (size,) = struct.unpack("<Q", head)
    return pickle.loads(pipe.read(size))


def _current() -> _Worker:
    global _worker
    with _worker_lock:
        if _worker is None or _worker.process.poll() is not None:
            _worker = _Worker()
            atexit.register(shutdown)
        return _worker


def shutdown() -> None:
    """Stop the worker (at exit)."""
    global _worker
    with _worker_lock:
        worker, _worker = _worker, None
    if worker is not None:
        worker.close()


def judge(view_name: str, frame) -> Future:
    """GX and the row checks on `frame` (a Polars frame of the view's columns) in the worker;
    the future gives the expectation counts, or raises SuiteError."""
    if frame.height == 0:
        done: Future = Future()
        done.set_result({})
        return done
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    return _current().submit(view_name, buffer.getvalue())


def verdict(view_name: str, future: Future) -> dict[str, int]:
    """The worker's counts; a worker that died is a SuiteError naming the view (never a check
    silently skipped)."""
    try:
        return future.result()
    except (_Broken, OSError) as exc:
        shutdown()
        raise SuiteError(f"{view_name}: the GX worker process stopped before judging the view "
                         f"({exc}); nothing of this view is sent. Run again; if it repeats, "
                         f"`omie-push validate --select {view_name}` judges it in one process") from None


def _judge_here(view_name: str, data: bytes) -> dict[str, int]:
    """In the worker: the rows back from IPC, judged by GX and the row checks (which agree)."""
    import polars as pl

    from .engine import validate_view

    frame = pl.read_ipc(io.BytesIO(data))
    return validate_view(view_name, frame, judge=True).expectation_counts


def serve(stdin=None, stdout=None) -> None:
    """The worker's loop: judge each request until stdin closes."""
    stdin, stdout = stdin or sys.stdin.buffer, stdout or sys.stdout.buffer
    sys.stdout = sys.stderr            # nothing but replies on the reply pipe
    while (view_name := _receive(stdin)) is not None:
        data = _receive_bytes(stdin)
        if data is None:
            break
        try:
            reply = (True, _judge_here(view_name, data))
        except Exception as exc:  # noqa: BLE001 - handed back to the pushing process
            reply = (False, exc if _picklable(exc) else SuiteError(f"{view_name}: {exc}"))
        _send(stdout, reply)


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
        return True
    except Exception:  # noqa: BLE001
        return False


if __name__ == "__main__":
    serve()
