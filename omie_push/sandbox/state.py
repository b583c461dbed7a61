"""The sandbox's companies and their records, in one SQLite file that survives restarts.

SQLite (stdlib) rather than DuckDB: the sandbox does many tiny keyed writes, each committed at
once, and a DuckDB file allows one writer, which `dbt build` may need at the same moment.
Every record is a JSON document keyed by (company, kind, id), with its integration code and
its CNPJ/CPF digits beside it so the lookups Omie makes (upsert by code, duplicate CNPJ) are
indexed.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from contextlib import contextmanager
from typing import Any, Iterator

from . import company

SCHEMA = """
create table if not exists companies (
  app_key text primary key,
  next_id integer not null
);
create table if not exists records (
  company text not null,
  kind text not null,         -- cliente, conta_receber, conta_pagar, projeto, vendedor, categoria, contrato, conta_corrente
  id text not null,           -- Omie's id (a category's code for categorias)
  code text,                  -- the integration code, if any
  doc text,                   -- CNPJ/CPF digits (clientes)
  seq integer not null,       -- insertion order, for listings
  data text not null,         -- the record as Omie would answer it (JSON)
  primary key (company, kind, id)
);
create index if not exists records_code on records (company, kind, code);
create index if not exists records_doc on records (company, kind, doc);
-- each insert asks max(seq) of its kind: without this index an upsert slows as a kind grows
create index if not exists records_seq on records (company, kind, seq);
-- apps suspended (Omie answers 403 for them, as for a wrong secret), and fixture sets loaded
create table if not exists suspended (app_key text primary key);
create table if not exists fixtures_loaded (
  company text not null,
  name text not null,
  primary key (company, name)
);
"""


def first_id(app_key: str) -> int:
    """Where a company's id counter starts: about ten digits, different per company."""
    return 2_000_000_000 + (zlib.crc32(app_key.encode()) % 90_000) * 10_000


class Store:
    """The state file. One connection guarded by a lock: the app may be called from uvicorn's
    thread and from tests' threads; each Omie call is one transaction."""

    def __init__(self, path: str | None):
        self.path = path or ":memory:"
        # timeout: another server on the same file (tests serve two) may hold the write lock.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                   timeout=30)
        self._db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self._db.execute("pragma journal_mode=wal")
            self._db.execute("pragma synchronous=normal")
        self._db.executescript(SCHEMA)
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One Omie call: everything it changed is kept, or nothing (a fault rolls back)."""
        with self._lock:
            self._db.execute("begin immediate")
            try:
                yield
            except BaseException:
                self._db.execute("rollback")
                raise
            self._db.execute("commit")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """One record of a lot: a refused record leaves the others in place."""
        self._db.execute("savepoint rec")
        try:
            yield
        except BaseException:
            self._db.execute("rollback to rec")
            self._db.execute("release rec")
            raise
        self._db.execute("release rec")

    def company(self, app_key: str) -> "Company":
        """The company of an app key, created with Omie's starting records on first use."""
        with self._lock:
            row = self._db.execute("select 1 from companies where app_key=?", (app_key,)).fetchone()
            if row is None:
                with self.transaction():   # another server on the same file may have won the race
                    added = self._db.execute("insert or ignore into companies values (?, ?)",
                                             (app_key, first_id(app_key))).rowcount
                    if added:
                        company.seed(Company(self, app_key))
        return Company(self, app_key)

    def is_suspended(self, app_key: str) -> bool:
        """Read on every call, so a key suspended by another process (`omie-push sandbox
        suspend` on the same file) is refused from its next call on."""
        with self._lock:
            return self._db.execute("select 1 from suspended where app_key=?",
                                    (app_key,)).fetchone() is not None

    def set_suspended(self, app_key: str, suspended: bool) -> None:
        with self.transaction():
            if suspended:
                self._db.execute("insert or ignore into suspended values (?)", (app_key,))
            else:
                self._db.execute("delete from suspended where app_key=?", (app_key,))

    def companies(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("select app_key from companies order by app_key")]


class Company:
    """One Omie company (one app key): its records and its id counter."""

    def __init__(self, store: Store, app_key: str):
        self.store = store
        self.app_key = app_key
        self._db = store._db

    def new_id(self) -> int:
        row = self._db.execute("select next_id from companies where app_key=?", (self.app_key,)).fetchone()
        self._db.execute("update companies set next_id=next_id+1 where app_key=?", (self.app_key,))
        return int(row[0])

    def put(self, kind: str, id: Any, data: dict, code: str | None = None, doc: str | None = None) -> None:
        """Insert or replace a record, keeping its place in listings."""
        old = self._db.execute("select seq from records where company=? and kind=? and id=?",
                               (self.app_key, kind, str(id))).fetchone()
        if old is not None:
            seq = old[0]
        else:
            seq = self._db.execute("select coalesce(max(seq), 0) + 1 from records where company=? and kind=?",
                                   (self.app_key, kind)).fetchone()[0]
        self._db.execute("insert or replace into records values (?,?,?,?,?,?,?)",
                         (self.app_key, kind, str(id), code or None, doc or None, seq,
                          json.dumps(data, ensure_ascii=False)))

    def get(self, kind: str, id: Any) -> dict | None:
        row = self._db.execute("select data from records where company=? and kind=? and id=?",
                               (self.app_key, kind, str(id))).fetchone()
        return json.loads(row[0]) if row else None

    def by_code(self, kind: str, code: str) -> dict | None:
        row = self._db.execute("select data from records where company=? and kind=? and code=?",
                               (self.app_key, kind, str(code))).fetchone()
        return json.loads(row[0]) if row else None

    def by_doc(self, kind: str, doc: str) -> dict | None:
        row = self._db.execute("select data from records where company=? and kind=? and doc=?",
                               (self.app_key, kind, doc)).fetchone()
        return json.loads(row[0]) if row else None

    def delete(self, kind: str, id: Any) -> None:
        self._db.execute("delete from records where company=? and kind=? and id=?",
                         (self.app_key, kind, str(id)))

    def all(self, kind: str) -> list[dict]:
        rows = self._db.execute("select data from records where company=? and kind=? order by seq",
                                (self.app_key, kind)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def mark_fixture(self, name: str) -> bool:
        """Note that a fixture set was loaded; False if it already was (load each set once)."""
        return bool(self._db.execute("insert or ignore into fixtures_loaded values (?, ?)",
                                     (self.app_key, name)).rowcount)

    def ids(self, kind: str) -> list[str]:
        rows = self._db.execute("select id from records where company=? and kind=? order by seq",
                                (self.app_key, kind)).fetchall()
        return [r[0] for r in rows]
