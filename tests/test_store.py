"""The SQLite store: location, migrations, briefings, LLM cache, delivery records."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from delivery_fixtures import make_briefing

from briefing import _migrations as migrations
from briefing.errors import StoreError
from briefing.store import DeliveryConflictError, Store, content_key, sha256_file, user_dir


def test_store_lives_in_briefing_home(_isolated_home: Path) -> None:
    assert user_dir() == _isolated_home
    with Store.open() as store:
        assert store.path == _isolated_home / "briefing.db"
    assert (_isolated_home / "briefing.db").is_file()


def test_store_defaults_to_platform_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFING_HOME")
    assert user_dir().name.lower() == "briefing"


def test_migrations_are_named_and_run_once(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]
        assert names == [name for name, _ in migrations.MIGRATIONS]
        assert migrations.migrate(conn) == []
    finally:
        conn.close()
    Store.open(db).close()  # reopening applies nothing and does not fail


def test_store_from_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO _migrations VALUES ('m999_from_the_future', 'x')")
    conn.close()
    with pytest.raises(StoreError, match="newer version of briefing"):
        Store.open(db)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    db.write_text("this is not sqlite, just text that is long enough to have a header" * 20)
    with pytest.raises(StoreError, match=r"cannot open the store .*s\.db"):
        Store.open(db)


def test_directory_in_place_of_the_file_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "s.db").mkdir()
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path / "s.db")


def test_save_get_and_list_briefings(tmp_path: Path) -> None:
    src = tmp_path / "acme.txt"
    src.write_text("fictional transcript\n")
    with Store.open() as store:
        acme = make_briefing("Acme Widgets")
        globex = make_briefing("Globex Gadgets", "Q3 2026", revenue="$410 million")
        a = store.save_briefing(acme, source=str(src), source_hash=sha256_file(src))
        g = store.save_briefing(globex, source=None, source_hash=None)
        assert a != g
        assert store.get_briefing(a) == acme
        rows = store.list_briefings()
        assert [r.id for r in rows] == [a, g]
        assert rows[0].company == "Acme Widgets"
        assert rows[0].period == "Q2 2026"
        assert rows[0].source == str(src)
        assert rows[0].source_hash is not None and len(rows[0].source_hash) == 64
        assert rows[0].engine == "offline"
        assert rows[1].source == "globex-gadgets.txt"  # falls back to the header's source
        assert [r.id for r in store.list_briefings(after_id=a)] == [g]
        assert [r.id for r in store.list_briefings(company="globex")] == [g]
        assert [r.id for r in store.list_briefings(limit=1)] == [g]
        future = datetime.now(UTC) + timedelta(hours=1)
        assert store.list_briefings(since=future) == []
        assert len(store.list_briefings(since=datetime.now(UTC) - timedelta(hours=1))) == 2


def test_same_briefing_is_stored_once() -> None:
    first = make_briefing()
    moved = first.header.model_copy(update={"source": "elsewhere/acme.txt"})
    regenerated = first.model_copy(update={"generated_at": datetime.now(UTC), "header": moved})
    assert content_key(first) == content_key(regenerated)
    with Store.open() as store:
        a = store.save_briefing(first, source=None, source_hash=None)
        assert store.save_briefing(regenerated, source=None, source_hash=None) == a
        assert len(store.list_briefings()) == 1


def test_missing_briefing_is_a_store_error() -> None:
    with Store.open() as store, pytest.raises(StoreError, match="no briefing #42"):
        store.get_briefing(42)


def test_response_cache_round_trip_and_threads() -> None:
    with Store.open() as store:
        assert store.cache_get("k") is None
        store.cache_put("k", '{"a": 1}')
        store.cache_put("k", '{"a": 2}')
        assert store.cache_get("k") == '{"a": 2}'

        def put(i: int) -> None:
            store.cache_put(f"t{i}", str(i))

        threads = [threading.Thread(target=put, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [store.cache_get(f"t{i}") for i in range(8)] == [str(i) for i in range(8)]
    with Store.open() as store:
        assert store.cache_get("k") == '{"a": 2}'  # persisted


def test_delivery_records() -> None:
    with Store.open() as store:
        b1 = store.save_briefing(make_briefing("A Co"), source=None, source_hash=None)
        b2 = store.save_briefing(make_briefing("B Co"), source=None, source_hash=None)
        d = store.begin_delivery("email", "x@example.com", briefing_ids=[b2, b1])
        (pending,) = store.deliveries("email", "x@example.com", status="pending")
        assert pending.id == d
        assert pending.briefing_ids == (b1, b2)
        store.finish_delivery(d, "sent", "250 OK")
        assert store.deliveries("email", "x@example.com", status="pending") == []
        (sent,) = store.deliveries("email", "x@example.com", status="sent")
        assert sent.detail == "250 OK"
        assert store.deliveries("email", "y@example.com") == []
        with pytest.raises(StoreError, match="no delivery #99"):
            store.finish_delivery(99, "failed")


def test_begin_delivery_refuses_when_another_attempt_slipped_in() -> None:
    with Store.open() as store:
        assert store.latest_delivery_id("email", "x@example.com") is None
        first = store.begin_delivery("email", "x@example.com", expect_latest=None)
        assert store.latest_delivery_id("email", "x@example.com") == first
        with pytest.raises(DeliveryConflictError, match=f"attempt {first}"):
            store.begin_delivery("email", "x@example.com", expect_latest=None)
        second = store.begin_delivery("email", "x@example.com", expect_latest=first)
        assert second > first
        assert store.begin_delivery("email", "x@example.com") > second  # unchecked


def test_find_briefing_by_content() -> None:
    with Store.open() as store:
        assert store.find_briefing(make_briefing()) is None
        a = store.save_briefing(make_briefing(), source=None, source_hash=None)
        assert store.find_briefing(make_briefing()) == a
        assert store.find_briefing(make_briefing("Other Co")) is None


def test_a_store_from_an_earlier_version_is_upgraded_in_place(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    migrations.applied_migrations(conn)  # creates the bookkeeping table
    for name, func in migrations.MIGRATIONS[:3]:  # what the first release shipped
        with conn:
            func(conn)
            conn.execute("INSERT INTO _migrations VALUES (?, 'then')", (name,))
    with conn:
        conn.execute(
            "INSERT INTO deliveries (kind, destination, status, created_at, updated_at) "
            "VALUES ('slack', 'channel:C1', 'sent', '2026-01-01T00:00:00+00:00', "
            "'2026-01-01T00:00:00+00:00')"
        )
    conn.close()
    with Store.open(db) as store:
        (old,) = store.deliveries("slack", "channel:C1")
        assert old.status == "sent" and old.parts_sent == 0
