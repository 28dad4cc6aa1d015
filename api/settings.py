"""Service settings: explicit arguments first, then ``VOICECHECK_*`` environment variables.

One frozen object built at start-up and read everywhere, so a running service never
changes its limits or keys under a request.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voicecheck.errors import InputError

__all__ = ["Settings"]


def _env_int(name: str, default: int, most: int | None = None) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:  # a setting, not a bug: a usage error (exit 2), not "internal error, please report it"
        raise InputError(f"{name} must be a whole number of at least 1 (bytes, characters or items), got {raw!r}",
                         field=name)
    if most is not None and value > most:  # 200,000 worker threads failed after 20 s with a traceback (a review)
        raise InputError(f"{name} must be at most {most:,}, got {raw!r}", field=name)
    return value


#: Worker threads that embed batches: each holds a model's working memory; more than this is a typo.
MAX_BATCH_WORKERS = 64


def _api_keys(raw: str | Iterable[str] | None) -> tuple[str, ...]:
    """The keys in ``raw`` (comma-separated when a string); None means "not set": the /v1 routes are open.

    A value that is set but holds no key (``""``, ``","``: a template whose variable was left
    empty) is a configuration error, not an open service: the operator meant to require keys.
    """
    if raw is None:
        return ()
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    keys = tuple(k.strip() for k in parts if k and k.strip())
    if not keys and (isinstance(raw, str) or parts):
        got = raw if isinstance(raw, str) else parts
        raise InputError(f"VOICECHECK_API_KEYS is set but holds no key (got {got!r}): give comma-separated keys, "
                         "or unset it to serve /v1 without keys", field="VOICECHECK_API_KEYS")
    return keys


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to know before it starts."""

    models_dir: Path = Path("models")
    #: History database URL; default ``sqlite:///<models_dir>/voicecheck.db``.
    db_url: str | None = None
    #: Accepted API keys; empty means the ``/v1`` routes are open.
    api_keys: tuple[str, ...] = ()
    max_body_bytes: int = 8 * 1024 * 1024
    max_text_chars: int = 50_000
    max_batch_items: int = 256
    max_learn_documents: int = 20_000
    #: Micro-batching: most documents embedded together, worker threads, and how long after a batch is
    #: answered a worker waits for the clients it answered to send again (api/batching.py says why).
    batch_max_items: int = 64
    batch_wait_ms: float = 25.0
    batch_workers: int = 1
    #: Load existing profiles and their embedding models at start-up (ready means warm).
    warm_up: bool = True
    #: Use this embedder for every profile instead of the installed models (tests, demos).
    embedder: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "models_dir", Path(self.models_dir))
        object.__setattr__(self, "api_keys", tuple(self.api_keys))

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Settings from ``overrides`` (None means "not given"), falling back to the environment."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if "models_dir" not in given:
            given["models_dir"] = os.environ.get("VOICECHECK_MODELS_DIR") or "models"
        given["models_dir"] = Path(given["models_dir"])
        if "db_url" not in given and os.environ.get("VOICECHECK_DB_URL"):
            given["db_url"] = os.environ["VOICECHECK_DB_URL"]
        given["api_keys"] = _api_keys(given.get("api_keys", os.environ.get("VOICECHECK_API_KEYS")))
        for key, env in (("max_body_bytes", "VOICECHECK_MAX_BODY_BYTES"), ("max_text_chars", "VOICECHECK_MAX_TEXT_CHARS"),
                         ("max_batch_items", "VOICECHECK_MAX_BATCH_ITEMS")):
            given.setdefault(key, _env_int(env, getattr(cls, key)))
        given.setdefault("batch_workers", _env_int("VOICECHECK_BATCH_WORKERS", cls.batch_workers, MAX_BATCH_WORKERS))
        given.setdefault("batch_max_items", _env_int("VOICECHECK_BATCH_MAX_ITEMS", cls.batch_max_items))
        if "batch_wait_ms" not in given and os.environ.get("VOICECHECK_BATCH_WAIT_MS", "").strip():
            raw = os.environ["VOICECHECK_BATCH_WAIT_MS"].strip()
            try:
                given["batch_wait_ms"] = float(raw)
            except ValueError:
                given["batch_wait_ms"] = math.nan
            if not (math.isfinite(given["batch_wait_ms"]) and given["batch_wait_ms"] >= 0):  # -5 and nan were taken
                raise InputError(f"VOICECHECK_BATCH_WAIT_MS must be a number of milliseconds, 0 or more, got {raw!r}",
                                 field="VOICECHECK_BATCH_WAIT_MS") from None
        return cls(**given)

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{(self.models_dir / 'voicecheck.db').resolve()}"
