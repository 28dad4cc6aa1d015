"""Helpers for the service tests (imported by them; pytest does not load this file by itself).

The in-process tests use the fake embedder, so they run without torch; the real
model is used by the tests marked ``slow`` only.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NORTHWIND = ROOT / "corpora" / "northwind" / "inhouse.jsonl"

DRAFT_ON = ("We're open again after the winter stock-take. Workshop hours are 8am to 6pm, Tuesday to Saturday. "
            "Spring service bookings are filling up, so don't leave it too late.")
DRAFT_OFF = "OMG!!! 🔥🔥 Crazy deals on ALL bikes TODAY ONLY!!! Don't miss out, click the link NOW #sale #bikes 🚴"


def northwind_records(n: int | None = None) -> list[dict]:
    """The Northwind in-house posts as request records (English, 120 posts)."""
    rows = [json.loads(line) for line in NORTHWIND.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:n] if n else rows


def learn_profile(folder: Path, *, embedder=None, name: str = "northwind") -> Path:
    """Learn the Northwind profile into ``folder/name`` (with ``embedder``, or the real model)."""
    from voicecheck.corpus import documents_from_records
    from voicecheck.profile import VoiceProfile

    docs = documents_from_records(northwind_records(), origin=str(NORTHWIND))
    VoiceProfile(name=name, lang="en").fit(docs, embedder=embedder).save(folder / name)
    return folder / name


def copy_profile(src: Path, models_dir: Path, name: str) -> Path:
    models_dir.mkdir(parents=True, exist_ok=True)
    dst = models_dir / name
    shutil.copytree(src, dst)
    return dst


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_REAL: dict[str, Path] = {}


def real_northwind(tmp_path_factory) -> Path:
    """Northwind learned with the real English model, once per session (slow: loads the model)."""
    if "northwind" not in _REAL:
        _REAL["northwind"] = learn_profile(tmp_path_factory.mktemp("real"))
    return _REAL["northwind"]


#: The test server; VOICECHECK_TEST_PG_URL points the tests elsewhere (or, with a port where
#: nothing listens, checks that they skip cleanly).
PG_URL = os.environ.get("VOICECHECK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def pg_unavailable() -> str | None:
    """Why the local PostgreSQL cannot be used (None when it can)."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        psycopg.connect(PG_URL, connect_timeout=2).close()
    except Exception as e:  # noqa: BLE001 - any failure means "not here"
        return f"PostgreSQL not reachable at {PG_URL}: {type(e).__name__}"
    return None


class pg_schema:
    """A throwaway schema on the local server: ``with pg_schema() as url`` (dropped on exit)."""

    def __enter__(self) -> str:
        import uuid

        import psycopg

        self.name = f"vc_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {self.name}")
        return f"{PG_URL}?options=-csearch_path%3D{self.name}"

    def __exit__(self, *exc) -> None:
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {self.name} CASCADE")
