"""The local SQLite store: briefings, the LLM response cache and delivery records.

One file, ``briefing.db``, in the user data folder (``platformdirs.user_data_dir``, or
``$BRIEFING_HOME`` when set, which is how tests keep away from the real one). The schema is
brought up to date by the named migrations in ``briefing._migrations`` every time it opens.

Delivery records make deliveries exactly-once: an attempt is written as ``pending`` before
anything is sent and turned into ``sent`` or ``failed`` afterwards, so a crash in between
leaves a ``pending`` row that the next run sees.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Literal, Self

import platformdirs
from pydantic import ValidationError

from briefing._migrations import migrate
from briefing.errors import StoreError
from briefing.schemas import Briefing

DeliveryKind = Literal["slack", "email"]
DeliveryStatus = Literal["pending", "sent", "failed"]

DB_NAME = "briefing.db"


def user_dir() -> Path:
    """The folder that holds the store: ``$BRIEFING_HOME`` or the platform's data folder."""
    override = os.environ.get("BRIEFING_HOME")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("briefing", appauthor=False))


def content_key(briefing: Briefing) -> str:
    """A hash of what a briefing says, ignoring when it was made, what it cost, and the path
    its transcript was read from.

    Regenerating the same transcript with the same engine gives the same key, so the store
    does not hold it twice and a delivery of it is recognised as a repeat.
    """
    data = briefing.model_dump(
        mode="json", exclude={"generated_at": True, "usage": True, "header": {"source"}}
    )
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes (the ``source_hash`` of a stored briefing)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class StoredBriefing:
    """One row of ``briefing list``: what a briefing is, without loading its JSON."""

    id: int
    company: str | None
    period: str | None
    call_date: date | None
    source: str | None
    source_hash: str | None
    engine: str
    model: str | None
    created_at: datetime


@dataclass(frozen=True)
class Delivery:
    """One delivery attempt and the briefings it carried."""

    id: int
    kind: DeliveryKind
    destination: str
    content_key: str | None
    status: DeliveryStatus
    detail: str | None
    created_at: datetime
    updated_at: datetime
    briefing_ids: tuple[int, ...]
    parts_sent: int = 0


class DeliveryConflictError(StoreError):
    """Another run recorded a delivery to the same destination while this one prepared."""


_BRIEFING_COLUMNS = "id, company, period, call_date, source, source_hash, engine, model, created_at"


class Store:
    """A connection to the store; implements the LLM engine's ``ResponseCache`` protocol.

    Safe to share between threads (calls are serialised by a lock): the LLM engine may
    reach the cache from worker threads.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open (creating and migrating as needed) the store at ``path`` or the default."""
        db_path = path if path is not None else user_dir() / DB_NAME
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store folder {db_path.parent}: {exc}") from exc
        if db_path.is_dir():
            raise StoreError(f"cannot open the store {db_path}: it is a directory")
        try:
            conn = sqlite3.connect(db_path, timeout=30, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {db_path}: {exc}") from exc
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        except (sqlite3.Error, ValueError) as exc:
            conn.close()
            raise StoreError(f"cannot open the store {db_path}: {exc}") from exc
        return cls(conn, db_path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction under the lock; every sqlite error becomes a StoreError."""
        with self._lock:
            try:
                with self._conn:
                    yield self._conn
            except sqlite3.Error as exc:
                raise StoreError(f"store {self.path}: {exc}") from exc

    # -- briefings ---------------------------------------------------------------------

    def save_briefing(
        self, briefing: Briefing, *, source: str | None, source_hash: str | None
    ) -> int:
        """Store ``briefing`` and return its id; an identical one already stored keeps its id."""
        key = content_key(briefing)
        header = briefing.header
        with self._tx() as conn:
            row = conn.execute(
                "SELECT id FROM briefings WHERE content_key = ? ORDER BY id LIMIT 1", (key,)
            ).fetchone()
            if row is not None:
                return int(row[0])
            cur = conn.execute(
                """
                INSERT INTO briefings (company, period, call_date, source, source_hash,
                    engine, model, content_key, created_at, briefing_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    header.company,
                    header.fiscal_period,
                    header.call_date.isoformat() if header.call_date else None,
                    source if source is not None else header.source,
                    source_hash,
                    briefing.usage.engine,
                    briefing.usage.model,
                    key,
                    _now(),
                    briefing.model_dump_json(),
                ),
            )
            assert cur.lastrowid is not None
            return int(cur.lastrowid)

    def list_briefings(
        self,
        *,
        since: datetime | None = None,
        after_id: int | None = None,
        company: str | None = None,
        limit: int | None = None,
    ) -> list[StoredBriefing]:
        """Stored briefings, oldest first, filtered by creation time, id and company."""
        clauses: list[str] = []
        params: list[object] = []
        if since is not None:
            clauses.append("created_at >= ?")
            params.append(_iso(since))
        if after_id is not None:
            clauses.append("id > ?")
            params.append(after_id)
        if company is not None:
            clauses.append("company LIKE ?")
            params.append(f"%{company}%")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        # With a limit, the newest ``limit`` rows; always shown oldest first.
        sql = f"SELECT {_BRIEFING_COLUMNS} FROM briefings {where} ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._tx() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [_stored(row) for row in reversed(rows)]

    def find_briefing(self, briefing: Briefing) -> int | None:
        """The id under which this briefing (same content) is stored, if it is."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT id FROM briefings WHERE content_key = ? ORDER BY id LIMIT 1",
                (content_key(briefing),),
            ).fetchone()
        return None if row is None else int(row[0])

    def get_briefing(self, briefing_id: int) -> Briefing:
        """The briefing stored under ``briefing_id``."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT briefing_json FROM briefings WHERE id = ?", (briefing_id,)
            ).fetchone()
        if row is None:
            raise StoreError(f"no briefing #{briefing_id} in the store {self.path}")
        try:
            return Briefing.model_validate_json(row[0])
        except ValidationError as exc:
            raise StoreError(
                f"briefing #{briefing_id} in the store no longer matches the schema "
                f"({exc.error_count()} errors); regenerate it"
            ) from exc

    # -- ResponseCache -------------------------------------------------------------------

    def cache_get(self, key: str) -> str | None:
        """A cached LLM response, or None."""
        with self._tx() as conn:
            row = conn.execute("SELECT value FROM llm_cache WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def cache_put(self, key: str, value: str) -> None:
        """Cache an LLM response (the last write for a key wins)."""
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO llm_cache (key, value, created_at) VALUES (?, ?, ?)",
                (key, value, _now()),
            )

    # -- deliveries ----------------------------------------------------------------------

    def latest_delivery_id(self, kind: DeliveryKind, destination: str) -> int | None:
        """The newest attempt to deliver to ``destination``, whatever its status."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT MAX(id) FROM deliveries WHERE kind = ? AND destination = ?",
                (kind, destination),
            ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def begin_delivery(
        self,
        kind: DeliveryKind,
        destination: str,
        *,
        briefing_ids: Iterable[int] = (),
        content_key: str | None = None,
        expect_latest: int | Literal["any"] | None = "any",
    ) -> int:
        """Record an attempt as pending, before anything is sent; return its id.

        With ``expect_latest`` (the ``latest_delivery_id`` seen when the run chose what to
        send), another attempt recorded in the meantime raises ``DeliveryConflictError``
        instead: two overlapping runs cannot both send the same briefings.
        """
        now = _now()
        with self._tx() as conn:
            conn.execute("BEGIN IMMEDIATE")
            if expect_latest != "any":
                row = conn.execute(
                    "SELECT MAX(id) FROM deliveries WHERE kind = ? AND destination = ?",
                    (kind, destination),
                ).fetchone()
                latest = None if row[0] is None else int(row[0])
                if latest != expect_latest:
                    raise DeliveryConflictError(
                        f"another {kind} delivery to {destination} (attempt {latest}) was "
                        "recorded while this one was being prepared"
                    )
            cur = conn.execute(
                """
                INSERT INTO deliveries (kind, destination, content_key, status, detail,
                    created_at, updated_at)
                VALUES (?, ?, ?, 'pending', NULL, ?, ?)
                """,
                (kind, destination, content_key, now, now),
            )
            assert cur.lastrowid is not None
            delivery_id = int(cur.lastrowid)
            conn.executemany(
                "INSERT INTO delivery_items (delivery_id, briefing_id) VALUES (?, ?)",
                [(delivery_id, bid) for bid in briefing_ids],
            )
        return delivery_id

    def finish_delivery(
        self,
        delivery_id: int,
        status: Literal["sent", "failed"],
        detail: str | None = None,
        *,
        parts_sent: int = 0,
    ) -> None:
        """Confirm an attempt as sent, or record why it failed (and how much went out)."""
        with self._tx() as conn:
            cur = conn.execute(
                "UPDATE deliveries SET status = ?, detail = ?, parts_sent = ?, updated_at = ? "
                "WHERE id = ?",
                (status, detail, parts_sent, _now(), delivery_id),
            )
            if cur.rowcount != 1:
                raise StoreError(f"no delivery #{delivery_id} in the store {self.path}")

    def deliveries(
        self,
        kind: DeliveryKind,
        destination: str,
        *,
        status: DeliveryStatus | None = None,
        content_key: str | None = None,
    ) -> list[Delivery]:
        """Attempts to deliver to ``destination``, oldest first."""
        sql = (
            "SELECT id, kind, destination, content_key, status, detail, created_at, "
            "updated_at, parts_sent FROM deliveries WHERE kind = ? AND destination = ?"
        )
        params: list[object] = [kind, destination]
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        if content_key is not None:
            sql += " AND content_key = ?"
            params.append(content_key)
        sql += " ORDER BY id"
        with self._tx() as conn:
            rows = conn.execute(sql, params).fetchall()
            items: dict[int, list[int]] = {}
            for row in rows:
                items[int(row[0])] = [
                    int(b)
                    for (b,) in conn.execute(
                        "SELECT briefing_id FROM delivery_items WHERE delivery_id = ? "
                        "ORDER BY briefing_id",
                        (row[0],),
                    )
                ]
        return [
            Delivery(
                id=int(r[0]),
                kind=r[1],
                destination=str(r[2]),
                content_key=r[3],
                status=r[4],
                detail=r[5],
                created_at=datetime.fromisoformat(r[6]),
                updated_at=datetime.fromisoformat(r[7]),
                briefing_ids=tuple(items.get(int(r[0]), ())),
                parts_sent=int(r[8]),
            )
            for r in rows
        ]


def _stored(row: tuple[object, ...]) -> StoredBriefing:
    call_date = row[3]
    return StoredBriefing(
        id=int(str(row[0])),
        company=None if row[1] is None else str(row[1]),
        period=None if row[2] is None else str(row[2]),
        call_date=date.fromisoformat(str(call_date)) if call_date else None,
        source=None if row[4] is None else str(row[4]),
        source_hash=None if row[5] is None else str(row[5]),
        engine=str(row[6]),
        model=None if row[7] is None else str(row[7]),
        created_at=datetime.fromisoformat(str(row[8])),
    )
