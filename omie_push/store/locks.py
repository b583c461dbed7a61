"""One pushing run at a time per results store and company (table `run_locks`).

The lock row names the run, its process id and host. A second run finds it and stops; a lock
whose process is gone (the run was killed) is stale: it is cleared and taken over. A lock of
another host cannot be checked from here and is never cleared automatically.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime

from ..errors import ProjectError


@dataclass(frozen=True)
class Holder:
    run_id: str
    pid: int
    host: str
    started_at: datetime


def host_name() -> str:
    return socket.gethostname()


def alive(pid: int) -> bool:
    """Whether a process of this host with this id is running (not a zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def holder(con, company: str) -> Holder | None:
    row = con.execute("select run_id, pid, host, started_at from run_locks where company = ?",
                      [company]).fetchone()
    return None if row is None else Holder(*row)


def acquire(con, company: str, run_id: str, started_at: datetime) -> Holder | None:
    """Take the company's lock, inside the caller's transaction. Returns the stale holder it
    cleared (None if the lock was free); raises ProjectError if a live run holds it."""
    held = holder(con, company)
    if held is not None:
        if held.host != host_name() or alive(held.pid):
            raise ProjectError(
                f"another omie-push run ({held.run_id}, pid {held.pid} on {held.host}, started "
                f"{held.started_at:%Y-%m-%d %H:%M:%S} UTC) is pushing company {company} to this "
                f"results store. Fix: wait for it to finish; if that process is gone, delete its "
                f"row from the results table run_locks.")
        con.execute("delete from run_locks where company = ? and run_id = ?", [company, held.run_id])
    con.execute("insert into run_locks (company, run_id, pid, host, started_at) values (?, ?, ?, ?, ?)",
                [company, run_id, os.getpid(), host_name(), started_at])
    return held


def release(con, company: str, run_id: str) -> None:
    con.execute("delete from run_locks where company = ? and run_id = ?", [company, run_id])
