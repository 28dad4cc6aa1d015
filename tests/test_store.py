"""The history store: same behaviour on SQLite and PostgreSQL (skipped when the server is absent)."""

from __future__ import annotations

import pytest

from conftest_api import pg_schema, pg_unavailable
from voicecheck.errors import InputError, StorageError
from voicecheck.results import Reason, ScoreResult
from voicecheck.store import SCHEMA_VERSION, date_bounds, open_store

def _result(i: int, *, date: str | None = None, source: str = "inhouse", verdict: str = "on-voice") -> ScoreResult:
    return ScoreResult(id=f"post-{i}", score=50.0 + i, verdict=verdict,
                       dimensions={"semantic": 1.0, "style": 2.0, "lexical": 3.0},
                       reasons=[Reason("exclamation_rate", "style", "many", 3.1, 0.2, "warning")],
                       profile={"name": "acme", "version": "v1", "lang": "en"}, words=12, date=date,
                       source=source, channel="blog", author="ann", style={"exclamation_rate": 3.1})


@pytest.fixture
def pg_url():
    """A throwaway schema on the local server, dropped afterwards."""
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    with pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.db'}"
    return request.getfixturevalue("pg_url")


def test_add_and_page_newest_first(store_url):
    store = open_store(store_url)
    try:
        assert store.ping()
        assert store.schema_version() == SCHEMA_VERSION
        assert store.add_results("acme", "v1", [_result(i, date=f"2026-03-{i + 1:02d}") for i in range(5)]) == 5
        store.add_results("other", "v9", [_result(99)])
        page = store.history("acme", limit=2)
        assert [it["result"]["id"] for it in page["items"]] == ["post-4", "post-3"]
        assert page["items"][0]["profile_version"] == "v1"
        assert "style" not in page["items"][0]["result"]
        assert page["items"][0]["result"]["reasons"][0]["feature"] == "exclamation_rate"
        nxt = store.history("acme", limit=2, before=int(page["next_cursor"]))
        assert [it["result"]["id"] for it in nxt["items"]] == ["post-2", "post-1"]
        last = store.history("acme", limit=2, before=int(nxt["next_cursor"]))
        assert [it["result"]["id"] for it in last["items"]] == ["post-0"] and last["next_cursor"] is None
        assert [it["result"]["id"] for it in store.history("acme", limit=2, offset=3)["items"]] == ["post-1", "post-0"]
        window = store.history("acme", since="2026-03-02", until="2026-03-04")
        assert [it["result"]["id"] for it in window["items"]] == ["post-3", "post-2", "post-1"]  # both days in
        assert store.history("acme", source="agency")["items"] == []
        assert len(store.history("acme", source="InHouse", channel="BLOG", author="Ann")["items"]) == 5  # any case
    finally:
        store.close()


def test_drift_rows_keep_style_and_dates(store_url):
    store = open_store(store_url)
    try:
        store.add_results("acme", "v1", [_result(1, date="2026-03-05T10:00:00+02:00"), _result(2)])
        rows = store.results_for_drift("acme")
        assert len(rows) == 2
        dated = next(r for r in rows if r["id"] == "post-1")
        assert dated["style"] == {"exclamation_rate": 3.1} and dated["date"] == "2026-03-05T10:00:00+02:00"
        undated = next(r for r in rows if r["id"] == "post-2")
        assert undated["date"]  # falls back to the time it was scored
        assert [r["id"] for r in store.results_for_drift("acme", until="2026-03-06")] == ["post-1"]
        assert store.delete_profile("acme") == 2
        assert store.results_for_drift("acme") == []
    finally:
        store.close()


def test_a_retried_post_counts_once_in_drift_and_every_request_stays_in_history(store_url):
    """A client that times out and sends the post again stores it twice; the report counts the post once.
    Another post under the same id (an edited draft: another score) counts as well."""
    import dataclasses

    store = open_store(store_url)
    try:
        post = _result(1, date="2026-03-05")
        store.add_results("acme", "v1", [post, _result(2, date="2026-03-05")])
        store.add_results("acme", "v1", [post])  # the retry
        store.add_results("acme", "v1", [dataclasses.replace(post, score=12.0, verdict="borderline")])  # edited
        assert len(store.history("acme")["items"]) == 4
        rows = store.results_for_drift("acme")
        assert sorted((r["id"], r["score"]) for r in rows) == [("post-1", 12.0), ("post-1", 51.0), ("post-2", 52.0)]
        undated = _result(3)  # dated by its scoring time in reports: the retry is scored later, still one post
        store.add_results("acme", "v1", [undated])
        store.add_results("acme", "v1", [undated])
        assert [r["id"] for r in store.results_for_drift("acme")].count("post-3") == 1
        # counted once by version too, so that a relearned profile's report says how many posts to score again
        assert store.versions("acme") == [{"version": "v1", "n_posts": len(store.results_for_drift("acme")),
                                           "last_scored_at": store.versions("acme")[0]["last_scored_at"]}]
        assert store.versions("acme")[0]["n_posts"] == 4  # post-1, post-1 edited, post-2, post-3
    finally:
        store.close()


def test_history_dated_up_to_a_day_is_deleted_and_the_rest_stays(store_url):
    store = open_store(store_url)
    try:
        store.add_results("acme", "v1", [_result(1, date="2026-03-02T23:59:59Z"), _result(2, date="2026-03-03")])
        store.add_results("other", "v1", [_result(3, date="2026-03-01")])
        assert store.delete_history("acme", until="2026-03-02") == 1
        assert [r["id"] for r in store.results_for_drift("acme")] == ["post-2"]
        assert store.count("other") == 1  # another profile's posts stay
        for missing in (None, "", "  "):
            with pytest.raises(InputError) as e:
                store.delete_history("acme", until=missing)
            assert e.value.field == "until" and store.count("acme") == 1
    finally:
        store.close()


def test_history_dates_take_whole_days_like_drift(store_url):
    """until is the last day wanted, as in drift reports and learn --until; a datetime is an instant, included."""
    store = open_store(store_url)
    try:
        store.add_results("acme", "v1", [_result(1, date="2026-03-02T00:00:00Z"),
                                         _result(2, date="2026-03-02T23:59:59Z"),
                                         _result(3, date="2026-03-03T00:00:00Z")])

        def ids(**dates):
            return [it["result"]["id"] for it in store.history("acme", **dates)["items"]]

        assert ids(since="2026-03-02", until="2026-03-02") == ["post-2", "post-1"]
        assert ids(until="2026-03-02") == ["post-2", "post-1"]
        assert ids(since="2026-03-03") == ["post-3"]
        assert ids(until="2026-03-03T00:00:00Z") == ["post-3", "post-2", "post-1"]  # the instant itself is in
        assert ids(until="2026-03-02T23:59:59") == ["post-2", "post-1"]  # naive: UTC
        assert ids(since="2026-03-02T23:59:59+00:00", until="2026-03-02T23:59:59+00:00") == ["post-2"]
        assert ids(since="2026-03-03T01:00:00+02:00", until="2026-03-02") == ["post-2"]  # 23:00 UTC on the 2nd
        assert [r["id"] for r in store.results_for_drift("acme", until="2026-03-02")] == ["post-1", "post-2"]
        for since, until in (("2026-03-03", "2026-03-02"), ("2026-03-02T12:00:00Z", "2026-03-02T11:59:59Z")):
            with pytest.raises(InputError) as e:
                store.history("acme", since=since, until=until)
            assert e.value.field == "until" and "before since" in str(e.value)
    finally:
        store.close()


def test_drift_rows_of_one_version_and_the_versions_stored(store_url):
    """A relearned profile's report takes the posts its current version scored; the others are counted by version."""
    store = open_store(store_url)
    try:
        store.add_results("acme", "v1", [_result(i, date="2026-03-02") for i in range(3)])
        store.add_results("acme", "v2", [_result(10, date="2026-03-01")])
        store.add_results("other", "v2", [_result(20)])
        assert [r["id"] for r in store.results_for_drift("acme", version="v2")] == ["post-10"]
        assert [r["id"] for r in store.results_for_drift("acme", version="v1")] == ["post-0", "post-1", "post-2"]
        assert len(store.results_for_drift("acme")) == 4
        assert store.results_for_drift("acme", version="v3") == []
        versions = store.versions("acme")
        assert [(v["version"], v["n_posts"]) for v in versions] == [("v2", 1), ("v1", 3)]  # most recently scoring first
        assert all(v["last_scored_at"].endswith("Z") for v in versions)
        assert store.versions("nobody") == []
        # a drift report names the versions besides its own: they are counted without reading its posts
        assert [(v["version"], v["n_posts"]) for v in store.versions("acme", besides="v2")] == [("v1", 3)]
    finally:
        store.close()


def test_a_post_is_counted_once_as_when_every_result_was_written_out_in_full():
    """The quick sort by labels counts as comparing every result in full (``_same_post``) did: two NaN scores are
    alike (NaN is not equal to itself), a label stored as a list is compared as written, 1 and 1.0 stay apart."""
    from voicecheck.store import _distinct_posts, _same_post

    rows = [{"id": "a", "score": float("nan"), "verdict": "too-short", "style": {"x": 1}},
            {"id": "a", "score": float("nan"), "verdict": "too-short", "style": {"x": 1}},
            {"id": ["l"], "score": 1.0}, {"id": ["l"], "score": 1.0}, {"id": "b", "score": 1},
            {"id": "b", "score": 1.0}, {"id": "a", "score": float("nan"), "verdict": "too-short", "style": {"x": 2}}]
    firsts = [first for _, first in _distinct_posts(rows)]
    in_full = [_same_post(r) not in {_same_post(e) for e in rows[:k]} for k, r in enumerate(rows)]
    assert firsts == in_full == [True, False, True, False, True, True, True]


def test_posts_alike_in_every_label_are_still_told_apart_by_their_figures(store_url, monkeypatch):
    """A post is the same as another only when the whole result is (``_same_post``); results are first sorted by
    their id, date, score, verdict and labels, so that only those alike in all of them are compared in full (an
    operations review: comparing every one in full took half of a drift report's reading). Two drafts under one
    id with the same score but other style figures are two posts; a retry of either is not a third. Many results
    are parsed at a time; a chunk's edge changes nothing."""
    import dataclasses

    from voicecheck import store as store_module

    store = open_store(store_url)
    try:
        first = _result(1, date="2026-03-05")
        other = dataclasses.replace(first, style={"exclamation_rate": 0.0})
        store.add_results("acme", "v1", [first, other, _result(2, date="2026-03-05"), first, other])
        for chunk in (1, 2, 1000):
            monkeypatch.setattr(store_module, "PARSE_CHUNK", chunk)
            rows = store.results_for_drift("acme")
            assert sorted((r["id"], r["style"]["exclamation_rate"]) for r in rows) == [
                ("post-1", 0.0), ("post-1", 3.1), ("post-2", 3.1)]
            assert store.versions("acme")[0]["n_posts"] == 3
    finally:
        store.close()


def test_reopen_keeps_history_and_does_not_remigrate(store_url):
    store = open_store(store_url)
    store.add_results("acme", "v1", [_result(1)])
    store.close()
    again = open_store(store_url)
    try:
        assert again.schema_version() == SCHEMA_VERSION
        assert again.count("acme") == 1
    finally:
        again.close()


def test_newer_schema_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    store = open_store(url)
    store._write("UPDATE schema_version SET version = ?", [SCHEMA_VERSION + 1])
    store.close()
    with pytest.raises(StorageError, match="newer"):
        open_store(url)


def test_bad_urls_are_storage_errors(tmp_path):
    with pytest.raises(StorageError, match="unsupported"):
        open_store("mysql://x")
    with pytest.raises(StorageError) as e:
        open_store("postgresql://nobody:secret@127.0.0.1:1/nothing")
    assert "secret" not in str(e.value)
    # libpq also takes the password as a parameter or a keyword: printed in clear at start-up (operations review)
    for url in ("postgresql://nobody@127.0.0.1:1/nothing?sslmode=disable&password=secret",
                "host=127.0.0.1 port=1 user=nobody password=secret", "host=127.0.0.1 password='sec ret' port=1"):
        with pytest.raises(StorageError) as e:
            open_store(url)
        assert "secret" not in str(e.value) and "sec ret" not in str(e.value) and "password=***" in str(e.value)


def test_close_does_not_wait_past_its_limit_for_a_busy_connection(tmp_path):
    """A write stuck on a stalled database held a stopping server (a re-check of the operations review)."""
    import threading
    import time

    store = open_store(f"sqlite:///{tmp_path / 'h.db'}")
    held, release = threading.Event(), threading.Event()

    def busy():
        with store._lock:
            held.set()
            release.wait(5)

    t = threading.Thread(target=busy)
    t.start()
    held.wait(5)
    started = time.monotonic()
    assert store.close(wait=0.2) is False and time.monotonic() - started < 2
    release.set()
    t.join()
    assert store.close(wait=1.0) is True


def test_a_failed_write_keeps_its_own_error(tmp_path):
    """On a full disk SQLite has already rolled back, and the failing ROLLBACK's "no transaction is active" hid
    "database or disk is full" in the log (operations review)."""
    import sqlite3

    store = open_store(f"sqlite:///{tmp_path / 'h.db'}")
    real = store._db

    class FullDisk:
        def execute(self, sql, *args):
            if sql == "ROLLBACK":
                raise sqlite3.OperationalError("cannot rollback - no transaction is active")
            return real.execute(sql, *args)

        def executemany(self, sql, rows):
            raise sqlite3.OperationalError("database or disk is full")

    store._db = FullDisk()
    with pytest.raises(StorageError, match="database or disk is full"):
        store.add_results("acme", "v1", [_result(1)])
    assert "disk is full" in store.write_failure[1]
    store._db = real
    real.execute("ROLLBACK")
    store.add_results("acme", "v1", [_result(2)])
    assert store.write_failure is None and store.count("acme") == 1


@pytest.mark.postgres
def test_a_missing_schema_is_said_in_one_line(pg_url):
    """It was three lines of SQL with a caret (operations review)."""
    with pytest.raises(StorageError) as e:
        open_store(pg_url.rsplit("%3D", 1)[0] + "%3Dno_such_schema_here")
    assert "\n" not in str(e.value) and "CREATE SCHEMA it first" in str(e.value)
    assert "schema 'no_such_schema_here' named in the URL's search_path does not exist" in str(e.value)


@pytest.mark.postgres
def test_a_database_that_stops_answering_is_a_storage_error_not_a_hang(pg_url, monkeypatch):
    """A DBA's lock on the table froze every score with no answer (operations review): now the statement fails
    after the store's wait, and the service answers 503 as it does for SQLite's lock."""
    import time

    import psycopg

    import voicecheck.store as store_module
    from voicecheck.store import _bounded_waits

    assert _bounded_waits(pg_url)["options"].endswith("-c statement_timeout=30000")  # the URL's own options kept
    assert "-csearch_path" in _bounded_waits(pg_url)["options"]
    assert "options" not in _bounded_waits(pg_url + "%20-c%20statement_timeout%3D5000")  # the operator's own
    monkeypatch.setattr(store_module, "PG_WAIT_SECONDS", 1)
    store = open_store(pg_url)
    schema = pg_url.rsplit("%3D", 1)[1]
    with psycopg.connect(pg_url.split("?")[0]) as dba:
        dba.execute(f"LOCK TABLE {schema}.scored_posts IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        with pytest.raises(StorageError, match="statement timeout"):
            store.add_results("acme", "v1", [_result(1)])
        assert time.monotonic() - started < 10
    store.add_results("acme", "v1", [_result(2)])  # the lock gone, the same store writes again
    assert store.count("acme") == 1
    store.close()


@pytest.mark.postgres
def test_a_batch_whose_commit_answer_was_lost_is_not_stored_twice(pg_url):
    """The server committed, then the connection died before its answer came back: the store retries on a new
    connection, and must find the batch there rather than write it again (a code review)."""
    import contextlib

    import psycopg

    store = open_store(pg_url)
    store.add_results("acme", "v1", [_result(0)])  # connected
    conn = store._db
    real = conn.transaction

    @contextlib.contextmanager
    def committed_then_lost(*a, **k):
        with real(*a, **k) as tx:
            yield tx
        with psycopg.connect(pg_url.split("?")[0], autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [conn.info.backend_pid])
        conn.execute("SELECT 1")  # the client learns of it: OperationalError, the connection broken

    conn.transaction = committed_then_lost
    assert store.add_results("acme", "v1", [_result(1), _result(2)]) == 2
    assert conn.broken and store._db is not conn  # it did retry, on a new connection
    assert store.count("acme") == 3 and store.write_failure is None
    store.add_results("acme", "v1", [_result(3)])
    assert store.count("acme") == 4
    store.close()


class _StallingProxy:
    """A TCP proxy in front of PostgreSQL that can stop forwarding while keeping its connections open: a frozen
    backend or a paused pooler, as the client sees it."""

    def __init__(self, port: int) -> None:
        import socket
        import threading

        self.stalled = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port, self.target = self.listener.getsockname()[1], port
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src, dst) -> None:
        import time

        try:
            while data := src.recv(65536):
                while self.stalled.is_set():
                    time.sleep(0.05)
                dst.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()


@pytest.mark.postgres
def test_a_database_that_stops_answering_behind_an_open_connection_is_cut(pg_url, monkeypatch):
    """A proxy or pooler that stops forwarding keeps the connection open: neither the server's statement timeout
    nor TCP's fire, and every score waited minutes (an operations review). The store's watchdog cuts it."""
    import time

    import voicecheck.store as store_module

    monkeypatch.setattr(store_module, "PG_WAIT_SECONDS", 1)
    monkeypatch.setattr(store_module, "PG_WATCHDOG_GRACE", 1)
    proxy = _StallingProxy(5432)
    try:
        url = pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
        store = open_store(url)
        store.add_results("acme", "v1", [_result(1)])
        proxy.stalled.set()
        started = time.monotonic()
        with pytest.raises(StorageError, match="not answering after 2 s"):
            store.add_results("acme", "v1", [_result(2)])
        assert time.monotonic() - started < 6
        proxy.stalled.clear()
        store.add_results("acme", "v1", [_result(3)])  # a new connection once it answers again
        assert store.count("acme") in (2, 3)  # the cut write may have reached the server: it is not retried
        store.close()
    finally:
        proxy.close()
    # A statement timeout of the URL's own is waited for: a long drift query is not cut at ours
    patient = open_store(pg_url + "%20-c%20statement_timeout%3D4000")
    assert patient._execute("SELECT 1 FROM pg_sleep(2.5)") == [(1,)]
    patient.close()


def test_until_the_last_day_of_the_calendar_has_no_upper_bound():
    """until=9999-12-31 took its day whole by adding a day past the calendar: OverflowError (a 500 in the service)."""
    assert date_bounds(until="9999-12-31") == (None, None, True)
    assert date_bounds("2026-01-01", "9999-12-31")[1:] == (None, True)


def test_bad_bounds_dates_and_places_are_the_library_s_own_errors(tmp_path):
    """A library caller's "yesterday", a month 13, a hand-made result dated 15/04/2026, a database under a file:
    plain ValueError and NotADirectoryError before, which a door reports as an internal error (a code review)."""
    with pytest.raises(InputError, match="since: date 'yesterday' is not an ISO 8601 date") as e:
        date_bounds("yesterday", None)
    assert e.value.field == "since"
    with pytest.raises(InputError, match="until: .*there is no month 13") as e:
        date_bounds(None, "2026-13-45")
    assert e.value.field == "until"
    store = open_store(f"sqlite:///{tmp_path / 'h.db'}")
    with pytest.raises(InputError, match="post 'a': date '15/04/2026'.*write 2026-04-15"):
        store.add_results("p", "v", [{"id": "a", "date": "15/04/2026", "score": 1.0, "verdict": "off-voice"}])
    assert store.history("p")["items"] == []
    (tmp_path / "afile").write_text("x")
    with pytest.raises(StorageError, match="cannot open history database .*afile/sub/h.db: .*Not a directory"):
        open_store(f"sqlite:///{tmp_path / 'afile' / 'sub' / 'h.db'}")
