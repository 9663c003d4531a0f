"""Opening the frwatch SQLite file: WAL, a busy timeout, foreign keys, and the schema migrated.

Connections run in autocommit mode (``isolation_level=None``) and every multi-statement write goes
through :func:`transaction`, which takes the write lock up front (``BEGIN IMMEDIATE``) so two writers
queue on the busy timeout instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from store.migrations import migrate


class StoreError(Exception):
    """A problem with the database file the user can fix (path, permissions, corruption)."""


def open_store(path: str | Path, busy_timeout_ms: int = 30_000) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at ``path``.

    :param path: the SQLite file; its parent directory is created when missing
    :param busy_timeout_ms: how long to wait for another writer's lock
    :raises StoreError: when the file cannot be created or opened
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            str(path), timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        # WAL with synchronous=NORMAL is durable across application crashes (only an OS crash can lose
        # the last transactions), and is what the SQLite docs recommend for WAL.
        conn.execute("PRAGMA synchronous = NORMAL")
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"cannot open database {path}: {exc}; check the path in [storage] database "
            "and that its directory is writable"
        ) from exc
    db = sqlite_utils.Database(conn)
    try:
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot migrate database {path}: {exc}") from exc
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block in one write transaction, rolled back if it raises.

    :param db: a database opened by :func:`open_store`
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
