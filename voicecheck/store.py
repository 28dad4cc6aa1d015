"""The history store: every scored post with its result, so drift can be reported later.

Two backends behind one interface, chosen by URL (``open_store``):

- ``sqlite:///path/to/history.db``: the embedded default, one file, created on first use;
- ``postgresql://user@host:port/db``: for several service instances sharing one history
  (psycopg 3). A schema can be chosen with libpq's ``options=-csearch_path=NAME``.

Schema changes go the usual way: a ``schema_version`` table and ordered migrations,
applied at open time inside one transaction (on PostgreSQL under an advisory lock, so
instances starting together do not race). A database newer than this code is refused.

Dates are stored as fixed-width UTC ISO strings (``YYYY-MM-DDTHH:MM:SS.ffffffZ``) so
the same SQL compares and orders them on both backends. Date filters take days whole,
as drift reports and ``learn --until`` do (``date_bounds``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from .documents import LATEST_DAY as _LATEST_REPORT_DAY
from .documents import period_bound
from .errors import InputError, StorageError

__all__ = ["HistoryStore", "HistoryPage", "open_store", "date_bounds", "SCHEMA_VERSION", "MIGRATIONS", "LATEST_DAY"]

#: Ordered migrations: (version, statements). ``{pk}`` is the backend's auto-increment key.
MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, [
        """CREATE TABLE scored_posts (
            id {pk},
            profile TEXT NOT NULL,
            profile_version TEXT NOT NULL,
            post_id TEXT,
            posted_at TEXT NOT NULL,
            date TEXT,
            source TEXT,
            channel TEXT,
            author TEXT,
            score DOUBLE PRECISION NOT NULL,
            verdict TEXT NOT NULL,
            result TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX scored_posts_profile_id ON scored_posts (profile, id)",
        "CREATE INDEX scored_posts_profile_posted ON scored_posts (profile, posted_at)",
    ]),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]

#: The last day a stored post or a ``since``/``until`` can name: the last a drift report can hold (one
#: stored post dated later made every report of its profile fail). The service refuses later dates (422).
LATEST_DAY = _LATEST_REPORT_DAY

_COLUMNS = ("profile", "profile_version", "post_id", "posted_at", "date", "source", "channel", "author",
            "score", "verdict", "result", "created_at")



def _same_post(data: dict[str, Any]) -> str:
    """What makes two stored results the same post: the post as sent and scored, its reasons' wording aside
    (an undated retry is the same post, though scored at another time), and what a later voicecheck adds to the
    stored form (``new_marks``: a retry after an upgrade is the same post)."""
    return json.dumps({k: v for k, v in data.items() if k not in ("reasons", "explained_in", "new_marks")},
                      sort_keys=True)


#: Fields of a stored result that ``_same_post`` compares too: two results that differ on one of them are two posts.
_POST_LABELS = ("id", "date", "score", "verdict", "source", "channel", "author")


def _distinct_posts(results: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], bool]]:
    """Each result with whether it is the first of its post (``_same_post``), in order.

    Why not ``_same_post`` of every row: writing each stored result out again took half of a drift report's
    reading (4.3 of 8.2 s at 80,000 posts, an operations review). Results that differ on their id, date, score,
    verdict or labels are different posts already; only those that share all of them (a retry, or posts that
    happen to agree on them) are told apart in full. Nothing may change a result until all are read.
    """
    first_of: dict[Any, dict[str, Any] | None] = {}  # each bucket's first result, until a second comes
    seen: set[str] = set()
    for data in results:
        bucket = _alike(data.get(k) for k in _POST_LABELS)
        if bucket not in first_of:
            first_of[bucket] = data
            yield data, True
            continue
        first = first_of[bucket]
        if first is not None:  # a second in the bucket: the first is told in full now
            seen.add(_same_post(first))
            first_of[bucket] = None
        key = _same_post(data)
        yield data, key not in seen
        seen.add(key)


def _alike(values: Iterable[Any]) -> Any:
    """A key equal for results whose ``_POST_LABELS`` write out alike: NaN is not equal to itself, yet two NaN
    scores write out alike (compared as their text), and a label given as a list or an object (a result stored by
    hand) is compared as written."""
    key = tuple(v if v == v else repr(v) for v in values)
    try:
        hash(key)
    except TypeError:
        return json.dumps(key, sort_keys=True, default=str)
    return key


#: Stored results parsed in one go: a field's name is then one string for all of them, not one per row.
PARSE_CHUNK = 1000


def _parsed(results: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The stored results, parsed ``PARSE_CHUNK`` at a time as one JSON array.

    Why: parsed one by one, each row held its own copy of the same names (forty style figures, the result's
    fields): 678 MB for 80,000 stored posts, against 448 MB parsed a thousand at a time, which is a sixth faster
    too (an operations review had measured 1.4 GB for a drift report over as many).
    """
    for start in range(0, len(results), PARSE_CHUNK):
        yield from json.loads("[" + ",".join(results[start:start + PARSE_CHUNK]) + "]")


class HistoryPage(dict):
    """One page of history: ``items`` (newest scored first) and ``next_cursor`` (or None)."""


class HistoryStore(Protocol):
    """What the service needs from a history database."""

    url: str

    def add_results(self, profile: str, version: str, results: Iterable[Any]) -> int: ...

    def history(self, profile: str, *, limit: int = 50, offset: int = 0, before: int | None = None,
                since: str | None = None, until: str | None = None, source: str | None = None,
                channel: str | None = None, author: str | None = None, verdict: str | None = None,
                with_style: bool = False) -> HistoryPage: ...

    def results_for_drift(self, profile: str, *, version: str | None = None, since: str | None = None,
                          until: str | None = None) -> list[dict[str, Any]]: ...

    def versions(self, profile: str, *, besides: str | None = None) -> list[dict[str, Any]]: ...

    def count(self, profile: str) -> int: ...

    def delete_profile(self, profile: str) -> int: ...

    def delete_history(self, profile: str, *, until: Any) -> int: ...

    def ping(self) -> bool: ...

    def close(self, wait: float | None = None) -> bool: ...


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (``sqlite:///rel.db`` or ``sqlite:////abs/path.db``), None for another database."""
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None


def describe_url(url: str) -> str:
    """``url`` as a log line names it: an SQLite file by its absolute path (``sqlite:///history.db`` is relative to
    the working directory, which in a container may not be the volume one expects), a server without its
    password."""
    path = sqlite_path(url)
    return f"sqlite:///{path.resolve()}" if path is not None else _redact(url)


def open_store(url: str) -> HistoryStore:
    """Open (creating and migrating when needed) the store at ``url``."""
    if url.startswith("sqlite:///"):
        return SQLiteStore(url)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url)
    raise StorageError(f"unsupported database URL {_redact(url)!r}: use sqlite:///PATH or postgresql://...")


def utc_text(value: str | dt.datetime | None) -> str | None:
    """A date as the fixed-width UTC text the store compares (None stays None)."""
    if value is None or value == "":
        return None
    from .documents import parse_date  # a datetime, date or ISO text, naive as UTC, in UTC

    return parse_date(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _date_only(value: Any) -> bool:
    """Whether ``value`` names a day (``2026-03-02``, a ``date``) rather than an instant."""
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return False
    return True


def date_bounds(since: Any = None, until: Any = None) -> tuple[str | None, str | None, bool]:
    """``since``/``until`` as the store compares them: (from, to, whether ``to`` itself is included).

    Why: ``until`` must mean what it means in drift reports and ``learn --until``, the
    last day wanted, so a date takes its whole UTC day (to the next midnight, excluded).
    A datetime is that instant, included at both ends; naive ones are UTC. An inverted
    range is an ``InputError`` on ``until``, as drift reports answer, not an empty page.
    """
    try:
        since = period_bound(since, end=False)  # 2026-05, 2026-W18
        lo = utc_text(since)
    except ValueError as e:  # the library's own callers too get the error of the door, naming the bound
        raise InputError(f"since: {e}", field="since") from None
    try:
        until = period_bound(until, end=True)
        if until is None or until == "":
            return lo, None, True
        if _date_only(until):
            from .documents import parse_date

            try:
                hi, included = utc_text(parse_date(until) + dt.timedelta(days=1)), False
            except OverflowError:  # until the last day there is: no upper bound
                hi, included = None, True
        else:
            hi, included = utc_text(until), True
    except ValueError as e:
        raise InputError(f"until: {e}", field="until") from None
    if lo is not None and hi is not None and (hi < lo if included else hi <= lo):
        raise InputError(f"until ({str(until).strip()}) is before since ({str(since).strip()})", field="until")
    return lo, hi, included


def _redact(url: str) -> str:
    """The URL without its password, for messages: in ``user:password@``, in a ``?password=`` parameter and in a
    keyword connection string (``host=... password=...``), each of which libpq takes."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        url = f"{scheme}://{creds.split(':', 1)[0]}:***@{host}" if ":" in creds else url
    return _PASSWORD_SETTING.sub(lambda m: f"{m.group(1)}***", url)


# "?password=x", "&password=x", "password=x" and "password='x y'" in a keyword string
_PASSWORD_SETTING = re.compile(r"((?:^|[?&\s])password\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^&\s]*)", re.IGNORECASE)


class _SQLStore:
    """The SQL both backends share; subclasses provide connections and placeholders."""

    url: str
    _mark = "?"
    _pk = ""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        #: (monotonic time, message) of the last failed write, None once a write succeeds: a full disk fails
        #: every write while a read ("SELECT 1") still answers, so the health check asks this too.
        self.write_failure: tuple[float, str] | None = None

    # --- backend hooks
    def _conn(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def _close_connection(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def close(self, wait: float | None = None) -> bool:
        """Close the connection; with ``wait``, give up after so many seconds if a statement still holds it (a
        stopping server, a write stuck on a stalled database). True when it was closed."""
        if not self._lock.acquire(timeout=-1 if wait is None else wait):
            return False
        try:
            self._close_connection()
        finally:
            self._lock.release()
        return True

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    # --- schema
    def _migrate(self, cur, current: int) -> None:
        if current > SCHEMA_VERSION:
            raise StorageError(f"history database {_redact(self.url)} has schema version {current}, newer than "
                               f"this voicecheck ({SCHEMA_VERSION}); upgrade voicecheck")
        for version, statements in MIGRATIONS:
            if version <= current:
                continue
            for sql in statements:
                cur.execute(sql.replace("{pk}", self._pk))
            cur.execute("DELETE FROM schema_version")
            cur.execute(f"INSERT INTO schema_version (version) VALUES ({self._mark})", (version,))

    # --- rows
    @staticmethod
    def _row(profile: str, version: str, result: Any, now: str) -> tuple:
        data = result.to_dict(with_style=True) if hasattr(result, "to_dict") else dict(result)
        try:
            date = utc_text(data.get("date"))
        except ValueError as e:  # a result built by hand (a ScoreResult's date is ISO already)
            raise InputError(f"post {data.get('id')!r}: {e}", field="date") from None
        return (profile, version, data.get("id"), date or now, date, data.get("source"), data.get("channel"),
                data.get("author"), float(data["score"]), str(data["verdict"]),
                json.dumps(data, ensure_ascii=False, separators=(",", ":")), now)

    def add_results(self, profile: str, version: str, results: Iterable[Any]) -> int:
        """Store scored posts (``ScoreResult`` objects or their dicts) in one transaction."""
        now = utc_text(dt.datetime.now(dt.timezone.utc))
        rows = [self._row(profile, version, r, now) for r in results]
        if not rows:
            return 0
        marks = ", ".join([self._mark] * len(_COLUMNS))
        sql = f"INSERT INTO scored_posts ({', '.join(_COLUMNS)}) VALUES ({marks})"
        try:
            self._write_many(sql, rows)
        except StorageError as e:
            self.write_failure = (time.monotonic(), str(e))
            raise
        self.write_failure = None
        return len(rows)

    def _filters(self, profile: str, since: Any, until: Any, **equal: str | None) -> tuple[str, list[Any]]:
        """WHERE clause on the post's date (``date_bounds``: days whole) and on equal columns.

        Labels (source, channel, author) match whatever their case, as a drift report groups them: a group
        "Instagram: 3 posts" drilled into with ``channel=Instagram`` found 1 of the 3 (an integrator's review).
        """
        lo, hi, included = date_bounds(since, until)
        where = [f"profile = {self._mark}"]
        params: list[Any] = [profile]
        if lo is not None:
            where.append(f"posted_at >= {self._mark}")
            params.append(lo)
        if hi is not None:
            where.append(f"posted_at {'<=' if included else '<'} {self._mark}")
            params.append(hi)
        for column, value in equal.items():
            if value is not None:
                label = column in ("source", "channel", "author")
                where.append(f"LOWER({column}) = LOWER({self._mark})" if label else f"{column} = {self._mark}")
                params.append(value)
        return " AND ".join(where), params

    def history(self, profile: str, *, limit: int = 50, offset: int = 0, before: int | None = None,
                since: str | None = None, until: str | None = None, source: str | None = None,
                channel: str | None = None, author: str | None = None, verdict: str | None = None,
                with_style: bool = False) -> HistoryPage:
        """Stored posts of ``profile``, newest scored first; ``before`` is the cursor (a row id). ``with_style``:
        each result with its measured style and new marks, as ``drift_report`` reads them (a report rebuilt from the
        history without them had lost what moved: a library review).

        In the order they were stored, not by their date: a post scored later lands on top,
        so a cursor never skips or repeats one. ``since``/``until`` filter on the post's date.
        """
        where, params = self._filters(profile, since, until, source=source, channel=channel, author=author,
                                      verdict=verdict)
        if before is not None:
            where += f" AND id < {self._mark}"
            params.append(int(before))
        sql = (f"SELECT id, profile_version, result, created_at FROM scored_posts WHERE {where} "
               f"ORDER BY id DESC LIMIT {self._mark} OFFSET {self._mark}")
        rows = self._execute(sql, [*params, int(limit) + 1, int(offset)])
        items = []
        for row_id, version, result, created in rows[:limit]:
            data = json.loads(result)
            if not with_style:
                data.pop("style", None)
                data.pop("new_marks", None)  # what a report counts, as style is; the reasons name them
            explained_in = data.pop("explained_in", None)  # stored beside the result, not part of its shape
            items.append({"seq": int(row_id), "profile_version": version, "created_at": created,
                          "explained_in": explained_in, "result": data})
        next_cursor = str(items[-1]["seq"]) if len(rows) > limit and items else None
        return HistoryPage(items=items, next_cursor=next_cursor)

    def results_for_drift(self, profile: str, *, version: str | None = None, since: Any = None,
                          until: Any = None) -> list[dict[str, Any]]:
        """Stored results (with style values), oldest first; undated posts take their scoring time.

        ``version``: only the posts that version of the profile scored. A report measures
        drift against one reference; posts another version scored were judged against another.
        A post scored again (a client's retry after a timeout: the same id, date, labels and
        score) counts once, as it was posted once; ``history`` keeps every request.
        """
        where, params = self._filters(profile, since, until, profile_version=version)
        rows = self._execute(f"SELECT posted_at, result FROM scored_posts WHERE {where} ORDER BY posted_at, id",
                             params)
        parsed = _parsed([result for _, result in rows])
        out = [(data, posted) for (data, first), (posted, _) in zip(_distinct_posts(parsed), rows) if first]
        for data, posted in out:  # once all are told apart: an undated retry is the same post
            if not data.get("date"):
                data["date"] = posted
        return [data for data, _ in out]

    def versions(self, profile: str, *, besides: str | None = None) -> list[dict[str, Any]]:
        """The versions of ``profile`` that scored stored posts, most recently scoring first, with how many
        posts each: a retry counts once, as ``results_for_drift`` counts it. ``besides``: all but that version
        (a drift report names the others; the current one's posts it has read already).

        Counted from the stored labels; only results alike in all of them (``_distinct_posts``) are read and
        compared in full: right after a relearn, most of the history is the earlier version's.
        """
        where, params = f"profile = {self._mark}", [profile]
        if besides is not None:
            where += f" AND profile_version <> {self._mark}"
            params.append(besides)
        rows = self._execute(f"SELECT profile_version, post_id, date, score, verdict, source, channel, author, "
                             f"created_at, id FROM scored_posts WHERE {where} ORDER BY id", params)
        seen: dict[str, dict[str, Any]] = {}
        alike: dict[tuple, list[int]] = {}  # the rows of each version alike in every label
        for version, *labels, created, row_id in rows:
            entry = seen.setdefault(version, {"posts": 0})
            entry["last"], entry["row"] = created, row_id
            alike.setdefault((version, _alike(labels)), []).append(row_id)
        for (version, _), ids in alike.items():
            if len(ids) == 1:
                seen[version]["posts"] += 1
                continue
            results = [r for at in range(0, len(ids), 500) for (r,) in self._execute(
                f"SELECT result FROM scored_posts WHERE id IN ({', '.join([self._mark] * len(ids[at:at + 500]))})",
                ids[at:at + 500])]
            seen[version]["posts"] += len({_same_post(data) for data in _parsed(results)})
        order = sorted(seen.items(), key=lambda kv: kv[1]["row"], reverse=True)
        return [{"version": v, "n_posts": e["posts"], "last_scored_at": e["last"]} for v, e in order]

    def count(self, profile: str) -> int:
        return int(self._execute(f"SELECT COUNT(*) FROM scored_posts WHERE profile = {self._mark}", [profile])[0][0])

    def delete_profile(self, profile: str) -> int:
        """Forget every stored post of ``profile``; returns how many."""
        return self._write(f"DELETE FROM scored_posts WHERE profile = {self._mark}", [profile])

    def delete_history(self, profile: str, *, until: Any) -> int:
        """Forget the stored posts of ``profile`` dated up to ``until`` (a date: its whole UTC day; undated posts by
        when they were scored, as ``history`` and drift reports date them); returns how many.

        Why: the service keeps every scored post for drift reports, and a brand may keep its drafts only so long
        (a retention policy): without this, its history could only be deleted whole, with the profile.
        """
        if until is None or (isinstance(until, str) and not until.strip()):
            raise InputError("give until: the last day whose posts to delete (all of them: delete the profile)",
                             field="until")
        where, params = self._filters(profile, None, until)
        return self._write(f"DELETE FROM scored_posts WHERE {where}", params)

    def schema_version(self) -> int:
        return int(self._execute("SELECT version FROM schema_version")[0][0])

    def ping(self) -> bool:
        try:
            self._execute("SELECT 1")
            return True
        except StorageError:
            return False


def _first_line(e: Exception, url: str = "") -> str:
    """A database error in one line (PostgreSQL adds the SQL and a caret), with what to do where it is known."""
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    if "no schema has been selected" in text:  # search_path names a schema that does not exist
        schema = _search_path(url)
        named = f"schema {schema!r} named" if schema else "schema"
        text += f" (the {named} in the URL's search_path does not exist: CREATE SCHEMA it first)"
    return text


def _search_path(url: str) -> str | None:
    """The schema a PostgreSQL URL's ``options=-csearch_path=NAME`` selects, for the error that says it is missing."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        options = str(conninfo_to_dict(url).get("options") or "")
    except Exception:  # noqa: BLE001 - only a hint: an unreadable URL has already failed in its own words
        return None
    found = re.search(r"search_path\s*=\s*([^\s,]+)", options)
    return found.group(1).strip("\"'") if found else None


def _rollback(db) -> None:
    """Roll back what a failed SQLite write began, keeping the error that made it fail: on a full disk SQLite has
    already rolled back, and "cannot rollback - no transaction is active" hid "database or disk is full"."""
    try:
        db.execute("ROLLBACK")
    except sqlite3.Error:
        pass


class SQLiteStore(_SQLStore):
    """One SQLite file in WAL mode; one connection shared under a lock (SQLite writes one at a time)."""

    _mark = "?"
    _pk = "INTEGER PRIMARY KEY AUTOINCREMENT"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.path = sqlite_path(url)
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None,
                                       timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._lock:
                cur = self._db.cursor()
                cur.execute("BEGIN IMMEDIATE")
                try:
                    cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                    row = cur.execute("SELECT MAX(version) FROM schema_version").fetchone()
                    self._migrate(cur, int(row[0] or 0))
                    cur.execute("COMMIT")
                except BaseException:
                    _rollback(cur)
                    raise
        except (sqlite3.Error, OSError) as e:  # OSError: its folder cannot be made (a file stands in the way)
            raise StorageError(f"cannot open history database {self.path}: {e}") from None

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        try:
            with self._lock:
                return self._db.execute(sql, list(params)).fetchall()
        except sqlite3.Error as e:
            raise StorageError(f"history database {self.path}: {e}") from None

    def _write(self, sql: str, params: Sequence[Any]) -> int:
        try:
            with self._lock:
                return self._db.execute(sql, list(params)).rowcount
        except sqlite3.Error as e:
            raise StorageError(f"history database {self.path}: {e}") from None

    def _write_many(self, sql: str, rows: list[tuple]) -> None:
        try:
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.executemany(sql, rows)
                    self._db.execute("COMMIT")
                except BaseException:
                    _rollback(self._db)
                    raise
        except sqlite3.Error as e:
            raise StorageError(f"history database {self.path}: {e}") from None

    def _close_connection(self) -> None:
        self._db.close()


#: How long PostgreSQL may keep the service waiting, in seconds: a statement (a lock held by a DBA's VACUUM FULL
#: included) and a connection that stops answering (a network stall). SQLite waits as long for its lock.
PG_WAIT_SECONDS = 30


#: Seconds past the connection's statement timeout after which a statement still waiting has its connection cut.
PG_WATCHDOG_GRACE = 5


class _Watchdog:
    """Cuts ``conn`` if the statement run on it outlives ``statement_seconds`` + ``PG_WATCHDOG_GRACE``
    (none when the connection has no statement timeout).

    It shuts down its own duplicate of the connection's socket, taken before it starts: the same connection
    whatever number the system gives a socket opened meanwhile (the number read later could be another's).
    ``stop`` and the cut exclude each other, so a cut never lands on the connection's next statement.
    """

    def __init__(self, conn, statement_seconds: float | None) -> None:
        import socket

        self.fired, self.after = False, None
        self._sock = self._timer = None
        self._lock = threading.Lock()
        if not statement_seconds:
            return
        try:
            self._sock = socket.socket(fileno=os.dup(conn.pgconn.socket))
        except (OSError, ValueError, AttributeError):  # no socket to watch: nothing to cut
            return
        self.after = statement_seconds + PG_WATCHDOG_GRACE
        self._timer = threading.Timer(self.after, self._cut)
        self._timer.daemon = True
        self._timer.start()

    def _cut(self) -> None:
        import socket

        with self._lock:
            if self._sock is None:
                return
            self.fired = True
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if self._sock is not None:
                self._sock.close()
                self._sock = None


def _bounded_waits(url: str) -> dict[str, Any]:
    """Connection settings that bound every wait on PostgreSQL, where the URL does not set its own.

    Why: a held table lock or a stalled network froze the scoring of every profile with no answer, and a
    stopping server waited for the database (an operations review). Now the statement fails after
    ``PG_WAIT_SECONDS`` and the request gets 503 storage_unavailable, as with SQLite.
    """
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = conninfo_to_dict(url)
    except Exception:  # psycopg.connect will say what is wrong with it
        return {"connect_timeout": 5}
    waits: dict[str, Any] = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                             "keepalives_count": 3, "tcp_user_timeout": PG_WAIT_SECONDS * 1000}
    waits = {k: v for k, v in waits.items() if k not in given}
    options = str(given.get("options") or "")
    if "statement_timeout" not in options:
        waits["options"] = f"{options} -c statement_timeout={PG_WAIT_SECONDS * 1000}".strip()
    return waits


class PostgresStore(_SQLStore):
    """PostgreSQL through psycopg 3; one connection under a lock, reopened when it drops."""

    _mark = "%s"
    _pk = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    #: Key of the advisory lock that serialises migrations across instances.
    _MIGRATION_LOCK = 0x766F6963  # "voic"

    def __init__(self, url: str) -> None:
        super().__init__()
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StorageError("PostgreSQL support needs psycopg: pip install 'psycopg[binary]'") from None
        self.url = url
        self._db = None
        self._statement_seconds: float | None = None
        with self._lock:
            conn = self._conn()
            try:
                with conn.transaction(), conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", (self._MIGRATION_LOCK,))
                    cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                    cur.execute("SELECT MAX(version) FROM schema_version")
                    row = cur.fetchone()
                    self._migrate(cur, int(row[0] or 0))
            except StorageError:
                raise
            except Exception as e:
                raise StorageError(f"cannot prepare history database {_redact(url)}: {_first_line(e, url)}") from None

    def _conn(self):
        import psycopg

        if self._db is None or self._db.closed or self._db.broken:
            try:
                self._db = psycopg.connect(self.url, autocommit=True, **_bounded_waits(self.url))
                # The statement timeout in force, the URL's or the role's own if set (in ms; 0: none): the watchdog
                # waits for it, not for ours (a 120 s one for long drift queries was cut at 35 s: a review)
                with self._db.cursor() as cur:
                    cur.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
                    self._statement_seconds = int(cur.fetchone()[0]) / 1000.0
            except psycopg.Error as e:
                raise StorageError(f"cannot reach history database {_redact(self.url)}: {_first_line(e)}") from None
        return self._db

    def _run(self, fn, done=None):
        """Run ``fn(conn)``, once more on a new connection if the first one broke (a restarted server).

        ``done(conn)`` says, on the new connection, whether a write already took effect: a connection lost
        during COMMIT may have committed, and writing again would store the batch twice (a code review).

        A watchdog cuts the connection ``PG_WATCHDOG_GRACE`` seconds after the server's own statement timeout:
        a server (or a pooler, a proxy) that stops answering while its end of the connection stays open fires
        neither that timeout nor the TCP ones, and had held every score, stored or not, for minutes (an
        operations review). Cut so, the statement is not tried again: the database is not answering.
        """
        import psycopg

        with self._lock:
            for attempt in (1, 2):
                conn = self._conn()
                watchdog = _Watchdog(conn, self._statement_seconds)
                try:
                    if attempt == 2 and done is not None and done(conn):
                        return None
                    return fn(conn)
                except psycopg.OperationalError as e:
                    if watchdog.fired:
                        raise StorageError(f"history database {_redact(self.url)}: not answering after "
                                           f"{watchdog.after:g} s") from None
                    if attempt == 2 or not conn.broken:
                        raise StorageError(f"history database {_redact(self.url)}: {e}") from None
                except psycopg.Error as e:
                    raise StorageError(f"history database {_redact(self.url)}: {e}") from None
                finally:
                    watchdog.stop()

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        def go(conn):
            with conn.cursor() as cur:
                cur.execute(sql, list(params))
                return cur.fetchall() if cur.description else []
        return self._run(go)

    def _write(self, sql: str, params: Sequence[Any]) -> int:
        def go(conn):
            with conn.cursor() as cur:
                cur.execute(sql, list(params))
                return cur.rowcount
        return self._run(go)

    def _write_many(self, sql: str, rows: list[tuple]) -> None:
        def go(conn):
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(sql, rows)

        def stored(conn) -> bool:
            # A batch's rows share their profile, version and created_at (to the microsecond): all of them
            # there means the lost COMMIT went through.
            profile, version, created = rows[0][0], rows[0][1], rows[0][-1]
            with conn.cursor() as cur:
                cur.execute("SELECT COUNT(*) FROM scored_posts WHERE profile = %s AND profile_version = %s "
                            "AND created_at = %s", [profile, version, created])
                return cur.fetchone()[0] >= len(rows)
        self._run(go, stored)

    def _close_connection(self) -> None:
        if self._db is not None:
            self._db.close()
