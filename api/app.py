"""The FastAPI application: ``create_app(settings)`` wires the doors to the library.

The lifespan opens the history store (migrating it), prepares the profile registry
and the micro-batcher, and warms up in the background: existing profiles and their
embedding models are loaded once, so the first request does not pay for them.
``/healthz`` reports "starting" until that is done.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from voicecheck import __version__
from voicecheck.errors import VoicecheckError
from voicecheck.store import HistoryStore, describe_url, open_store

from .auth import ApiKeyMiddleware
from .batching import MicroBatcher
from .errors import ApiError, UnexpectedErrorMiddleware, install_error_handlers, map_library_error
from .limits import BodyLimitMiddleware
from .request_id import RequestIdMiddleware
from .registry import ProfileRegistry
from .routes import health_router, v1_router
from .settings import Settings

__all__ = ["create_app", "Service"]

log = logging.getLogger("voicecheck.api")

#: How many drift reports the service builds at once (the rest queue, see ``Service.drift_slots``), and how many
#: may wait: past it a report is 503 busy at once (dashboards that gave up after 3 s and asked again had queued
#: reports without bound, each built for no one: an operations review).
DRIFT_CONCURRENCY = 2
DRIFT_QUEUE = 8


@dataclass
class Service:
    """What the routes share: settings, store, registry, batcher."""

    settings: Settings
    store: HistoryStore
    registry: ProfileRegistry
    batcher: MicroBatcher
    warm_state: str = "pending"
    warm_problems: dict[str, str] = field(default_factory=dict)
    #: Drift reports built at once; more wait their turn without holding a worker thread. Each reads and
    #: parses the profile's whole history: 45 at once took the server from 680 MB to 1.6 GB.
    drift_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(DRIFT_CONCURRENCY))
    drift_waiting: int = 0
    _threads: list[threading.Thread] = field(default_factory=list)

    @asynccontextmanager
    async def drift_turn(self):
        """A drift report's turn at one of the slots: 503 busy when ``DRIFT_QUEUE`` reports wait already."""
        if self.drift_waiting >= DRIFT_QUEUE:
            raise ApiError(503, "busy", f"{DRIFT_QUEUE} drift reports are waiting to be built already; try again "
                           "later", headers={"Retry-After": "10"})
        self.drift_waiting += 1
        try:
            await self.drift_slots.acquire()
        finally:
            self.drift_waiting -= 1
        try:
            yield
        finally:
            self.drift_slots.release()

    def record(self, name, profile, results) -> None:
        """Store scored posts under the route name ``name``, with the version of the profile that scored them.

        Not under ``profile.name``: a profile learned with ``--name "Acme Bakery!"`` into
        folder ``acme`` is served, listed, drifted and deleted as ``acme``. Nothing is stored
        for a profile deleted while its drafts were scored (404): its history stays deleted.
        """
        with self.registry.recording(name):
            self.store.add_results(name, profile.version_, results)

    def delete(self, name: str, *, keep_history: bool = False) -> None:
        """Delete profile ``name`` and, unless ``keep_history``, its stored posts.

        A name whose folder is already gone (deleted with ``keep_history``) still has its
        posts deleted, so kept history can be removed later: 404 only when there is
        neither. The folder goes first: if the database fails, the DELETE can be sent again.
        """
        with self.registry.deleting(name) as had_folder:
            removed = 0 if keep_history else self.store.delete_profile(name)
        if had_folder:  # /healthz listed a damaged profile deleted through the API until a restart (a review)
            self.warm_problems.pop(name, None)
        if not had_folder and not removed:
            kept = keep_history and self.store.count(name) > 0
            hint = "; its stored history is kept: DELETE without keep_history removes it" if kept else ""
            raise ApiError(404, "profile_not_found", f"no profile named {name!r}{hint}")

    def note_unusable(self, name: str, e: Exception) -> None:
        """A served profile that stopped loading (its folder edited, truncated or made unreadable while the service
        runs): logged once, and listed by ``/healthz`` under ``profiles_not_loaded`` until it loads again. Before,
        every request got 409 and on-call heard nothing (an operations review)."""
        why = _why(e)
        if self.warm_problems.get(name) != why:
            log.warning("profile %s: %s", name, why)  # why: "the profile folder cannot be used: words.json: ..."
        self.warm_problems[name] = why

    def note_usable(self, name: str) -> None:
        if self.warm_problems.pop(name, None) is not None:
            log.info("profile %s loads again", name)

    def warm_up(self) -> None:
        """Load every existing profile and its embedding model, and embed one text.

        A profile that cannot be loaded (or whose model is missing) is reported by
        ``/healthz`` and answered per request; it does not keep the others from serving.
        """
        self.warm_state = "running"
        for name in self.registry.names():
            try:
                profile = self.registry.get(name)
                self.registry.embedder_for(profile).encode(["warm up"])
            except Exception as e:  # noqa: BLE001 - one bad folder must not stop the service
                why = _why(e)
                log.warning("profile %s not loaded at start-up: %s", name, why, exc_info=why.startswith("unexpected"))
                self.warm_problems[name] = why
        self.warm_state = "done"


def _why(e: Exception) -> str:
    """Why a profile was not loaded, in the words its requests get ("style_coef.npy: file missing from the
    profile folder"), not the exception's class: /healthz is open, so without the server's paths."""
    if isinstance(e, ApiError):
        return e.message
    if isinstance(e, VoicecheckError):
        return map_library_error(e).message
    return f"unexpected error ({type(e).__name__}); see the log"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service app; nothing heavy happens until the lifespan starts."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if not settings.models_dir.exists():  # a first run, or a typo in --models: either way the log says so
            log.warning("models folder %s did not exist: created it, empty (learn a profile with POST /v1/profiles, "
                        "or copy one into it)", settings.models_dir)
        settings.models_dir.mkdir(parents=True, exist_ok=True)
        store = open_store(settings.database_url)
        registry = ProfileRegistry(settings.models_dir, embedder=settings.embedder)
        svc: Service | None = None

        def record(name, profile, results) -> None:
            assert svc is not None
            svc.record(name, profile, results)

        batcher = MicroBatcher(registry.embedder_for, record, max_items=settings.batch_max_items,
                               wait_ms=settings.batch_wait_ms, workers=settings.batch_workers)
        svc = Service(settings, store, registry, batcher)
        for name, reason in registry.misnamed().items():
            log.warning("profile folder %r not served: %s", name, reason)
            svc.warm_problems[name] = reason
        app.state.service = svc
        batcher.start()
        if settings.warm_up:
            t = threading.Thread(target=svc.warm_up, name="voicecheck-warm-up", daemon=True)
            t.start()
            svc._threads.append(t)
        else:
            svc.warm_state = "done"
        log.info("voicecheck service ready to accept requests (models: %s, history: %s, keys: %d configured)",
                 settings.models_dir, describe_url(settings.database_url), len(settings.api_keys))
        try:
            yield
        finally:
            # Off the event loop: a request whose drafts are being stored as the server stops waits for them
            # there and answers with its results (batching.py), which a blocked loop could not send.
            await run_in_threadpool(batcher.stop, 5.0)  # after uvicorn's 10 s: a stop within about 15 s
            if not store.close(wait=5.0):  # a write stuck on a stalled database must not hold the process
                log.warning("history database still busy at shutdown: closed without waiting for it")

    # redirect_slashes off: "/score/" is a 404 in JSON naming the path, not a 307 built from the client's Host
    app = FastAPI(title="voicecheck", version=__version__, lifespan=lifespan, redirect_slashes=False,
                  description="Score drafts against a brand's learned writing voice, keep the history, "
                              "report drift. Every error is JSON: {\"error\": {\"code\", \"message\", \"field\"?}}.")
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(v1_router)
    app.state.api_routes = [*health_router.routes, *v1_router.routes]  # a 405's Allow header lists their methods
    # The last added runs first: a request id on every answer, a JSON 500 for anything unexpected, then the key
    # (a 401 from the headers alone, before any of the body is read, whatever its size), then the body's size.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(ApiKeyMiddleware, keys=settings.api_keys)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(RequestIdMiddleware)
    app.state.settings = settings
    app.openapi = _openapi_with_limits(app, settings)
    return app


def _openapi_with_limits(app: FastAPI, settings: Settings):
    """``app.openapi`` with this service's limits in the request schemas (a text's ``maxLength``, a batch's
    ``maxItems``, a label's ``maxLength``): the settings choose them at start, so the models cannot say them, and a
    client generated from /openapi.json had no way to know a 50,001-character draft is refused (an integrator's
    review)."""
    from voicecheck.corpus import MAX_LABEL_CHARS

    plain = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = plain()  # built once, and kept by FastAPI in app.openapi_schema
        shapes = schema.get("components", {}).get("schemas", {})
        for name in ("ScoreItem", "DocumentIn"):
            fields = shapes.get(name, {}).get("properties", {})
            if "text" in fields:
                fields["text"]["maxLength"] = settings.max_text_chars
            for label in ("id", "source", "channel", "author"):
                for option in fields.get(label, {}).get("anyOf", []):
                    if option.get("type") == "string":
                        option["maxLength"] = MAX_LABEL_CHARS
        items = shapes.get("ScoreBatch", {}).get("properties", {}).get("items")
        if items is not None:
            items["maxItems"] = settings.max_batch_items
        return schema

    return openapi


