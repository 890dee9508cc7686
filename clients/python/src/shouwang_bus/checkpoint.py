"""Where a subscriber's positions (the last ``seq`` processed per topic) are kept.

Any object with these two methods is a checkpoint::

    def load(self) -> Mapping[str, int]: ...          # {} the first time
    def commit(self, positions: Mapping[str, int]) -> None: ...

``commit`` receives every topic's position (not only the changed ones); it must make them
durable before it returns, or, to get exactly-once effects, write them in the same
transaction as the effects of the events they cover.
"""

from __future__ import annotations

import sqlite3
from typing import Dict, Mapping, Optional

try:  # Python 3.8+
    from typing import Protocol
except ImportError:  # pragma: no cover
    Protocol = object  # type: ignore[assignment,misc]


class Checkpoint(Protocol):
    def load(self) -> Mapping[str, int]: ...

    def commit(self, positions: Mapping[str, int]) -> None: ...


class MemoryCheckpoint:
    """Positions in memory only: a restart begins again (tests, or a ``start="now"`` tail)."""

    def __init__(self, positions: Optional[Mapping[str, int]] = None) -> None:
        self.positions: Dict[str, int] = dict(positions or {})

    def load(self) -> Mapping[str, int]:
        return dict(self.positions)

    def commit(self, positions: Mapping[str, int]) -> None:
        self.positions.update(positions)


class SQLiteCheckpoint:
    """Positions in a SQLite file: table ``shouwang_positions(consumer, topic, seq)``.

    ``connection`` is an ordinary :class:`sqlite3.Connection` to that file. Write your own
    effects through it and call ``commit`` (or ``Subscriber.commit()``) while your
    transaction is open: the positions join your transaction instead of committing on
    their own, so the effects and the positions are saved together or not at all::

        with checkpoint.connection:              # one transaction
            db.execute("INSERT INTO …", …)        # your effect
            subscriber.commit()                   # the positions, in the same transaction

    Outside a transaction, ``commit`` commits at once. Several consumers may share one file
    under different ``consumer`` names. Used as a context manager (``with SQLiteCheckpoint(…)
    as checkpoint:``), it closes its connection on leaving the block, as ``Subscriber`` does.
    """

    TABLE = "shouwang_positions"

    def __init__(self, path: str, consumer: str = "default", connection: Optional[sqlite3.Connection] = None) -> None:
        self.path = path
        self.consumer = consumer
        self.connection = connection or sqlite3.connect(path, timeout=30)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=FULL")
        with self.connection:
            self.connection.execute(
                f"CREATE TABLE IF NOT EXISTS {self.TABLE} ("
                " consumer TEXT NOT NULL, topic TEXT NOT NULL, seq INTEGER NOT NULL,"
                " PRIMARY KEY (consumer, topic))"
            )
        self._written: Dict[str, int] = {}

    def load(self) -> Mapping[str, int]:
        rows = self.connection.execute(
            f"SELECT topic, seq FROM {self.TABLE} WHERE consumer = ?", (self.consumer,)
        ).fetchall()
        self._written = {topic: seq for topic, seq in rows}
        return dict(self._written)

    def commit(self, positions: Mapping[str, int]) -> None:
        changed = [(self.consumer, t, s) for t, s in positions.items() if self._written.get(t) != s]
        if not changed:
            return
        joined = self.connection.in_transaction
        self.connection.executemany(
            f"INSERT INTO {self.TABLE} (consumer, topic, seq) VALUES (?, ?, ?)"
            " ON CONFLICT (consumer, topic) DO UPDATE SET seq = excluded.seq",
            changed,
        )
        if not joined:
            self.connection.commit()
        # Within the caller's transaction these are written only once it commits; should it
        # roll back, the next commit writes them again (the comparison above is only a
        # shortcut, so forget it).
        if joined:
            self._written = {}
        else:
            self._written.update({t: s for _, t, s in changed})

    def close(self) -> None:
        """Closes the connection (a transaction still open is rolled back)."""
        self.connection.close()

    def __enter__(self) -> SQLiteCheckpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
