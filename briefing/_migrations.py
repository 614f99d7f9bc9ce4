"""Named, append-only schema migrations for the SQLite store.

Each migration is a function registered in order with ``@migration``; its name is recorded
in ``_migrations`` once applied, so a store created by any earlier version is brought up to
date by running the missing ones. Never edit or reorder a migration that has shipped: add a
new one instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: list[tuple[str, Migration]] = []


def migration(func: Migration) -> Migration:
    """Register ``func`` as the next migration, named after the function."""
    MIGRATIONS.append((func.__name__, func))
    return func


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations already applied to ``conn``, in order."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    rows = conn.execute("SELECT name FROM _migrations ORDER BY rowid").fetchall()
    return [str(row[0]) for row in rows]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet applied, each in its own transaction; return their names.

    Raises ``ValueError`` when the store holds migrations this version does not know: it was
    written by a newer briefing, and writing to it could corrupt it.
    """
    done = applied_migrations(conn)
    known = {name for name, _ in MIGRATIONS}
    unknown = [name for name in done if name not in known]
    if unknown:
        raise ValueError(
            f"the store was created by a newer version of briefing (unknown migrations: "
            f"{', '.join(unknown)}); upgrade briefing"
        )
    ran: list[str] = []
    for name, func in MIGRATIONS:
        if name in done:
            continue
        with conn:
            func(conn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat()),
            )
        ran.append(name)
    return ran


@migration
def m001_briefings(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE briefings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company TEXT,
            period TEXT,
            call_date TEXT,
            source TEXT,
            source_hash TEXT,
            engine TEXT NOT NULL,
            model TEXT,
            content_key TEXT NOT NULL,
            created_at TEXT NOT NULL,
            briefing_json TEXT NOT NULL
        )
        """
    )
    conn.execute("CREATE INDEX briefings_content_key ON briefings (content_key)")
    conn.execute("CREATE INDEX briefings_created_at ON briefings (created_at)")


@migration
def m002_llm_cache(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE llm_cache (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )


@migration
def m003_deliveries(conn: sqlite3.Connection) -> None:
    # One row per attempt to deliver: a Slack post (one briefing) or a digest (several,
    # listed in delivery_items). status: pending (recorded before sending), sent, failed.
    conn.execute(
        """
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            destination TEXT NOT NULL,
            content_key TEXT,
            status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
            detail TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    conn.execute("CREATE INDEX deliveries_destination ON deliveries (kind, destination, status)")
    conn.execute(
        """
        CREATE TABLE delivery_items (
            delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
            briefing_id INTEGER NOT NULL REFERENCES briefings (id),
            PRIMARY KEY (delivery_id, briefing_id)
        )
        """
    )


@migration
def m004_delivery_parts_sent(conn: sqlite3.Connection) -> None:
    # How many messages of a multi-message delivery (a Slack post and its thread) went out
    # before it failed: a partial post must not be repeated without --force.
    conn.execute("ALTER TABLE deliveries ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0")
