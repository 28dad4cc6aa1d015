"""The routes of design 3.5: parse, call the library, answer. No scoring logic here."""

from __future__ import annotations

import asyncio
import logging
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Security
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool

from voicecheck.card import voice_card
from voicecheck.corpus import check_label, documents_from_records
from voicecheck.documents import documents_between, group_label
from voicecheck.errors import InputError, ProfileError, ProfileNotFoundError, TooLittleDataError, VoicecheckError
from voicecheck.profile import VoiceProfile
from voicecheck.store import LATEST_DAY
from voicecheck.wording import explain_language

from .auth import bearer_scheme
from .errors import ApiError, compressed_body, json_content, map_library_error, not_utf8, profile_problem
from .registry import NAME_PATTERN
from .request_id import request_id
from .schemas import (DriftReportOut, ErrorOut, Health, HistoryDeleted, HistoryPageOut, LearnRequest, LearnResponse,
                      ProfileList, ScoreBatch, ScoreBatchOut, ScoreItem, ScoreResultOut, VoiceCardOut)

log = logging.getLogger("voicecheck.api")

__all__ = ["health_router", "v1_router"]

def _error(text: str, *, retry: bool = False) -> dict[str, Any]:
    """An error answer as /openapi.json documents it (``Retry-After`` where the service sends it)."""
    out: dict[str, Any] = {"model": ErrorOut, "description": text}
    if retry:
        out["headers"] = {"Retry-After": {"description": "seconds to wait before trying again",
                                          "schema": {"type": "integer"}}}
    return out


# Every /v1 route's errors; each route adds its own below (an integrator's review: every route had listed 404, 409
# and 413, GET /v1/profiles included, and none 415 or 500).
# 405, 413 and 415 are answered on every route, before it runs (the wrong method; a body too large or compressed,
# whatever the method): a client generated from this document must know them (an integrator's review).
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error("missing or wrong API key"), 422: _error("invalid input: every problem in details"),
    405: _error("the path does not take this method: the Allow header lists those it takes"),
    413: _error("request body too large (checked on every route, before it runs)"),
    415: _error("the body is not JSON, or is compressed (checked on every route that gets a body)"),
    500: _error("internal error, logged with the request id"),
    503: _error("not ready, or shutting down (model, profile or database unavailable), or too many drift reports "
                "waiting (busy)", retry=True)}
_UNKNOWN = {404: _error("unknown profile")}
_UNUSABLE = {409: _error("the profile cannot be used (learn it again)")}

def _known_query(request: Request) -> None:
    """422 naming a query parameter the route does not take, or one given twice: "?windw=month" answered with
    a weekly report would look like the month asked for (found by an integrator's review)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return

    def walk(d):
        yield d
        for sub in d.dependencies:
            yield from walk(sub)

    known = {p.alias for d in walk(dependant) for p in d.query_params}
    unknown = next((k for k in request.query_params if k not in known), None)
    if unknown is not None:
        takes = ", ".join(sorted(known)) or "none"
        raise ApiError(422, "unknown_parameter", f"unknown query parameter {unknown!r}: this route takes {takes}",
                       field=unknown)
    # Every parameter takes one value: "?source=agency&source=inhouse" answered with the in-house posts alone
    # (the last value wins) would look like both (an integrator's review).
    twice = next((k for k in request.query_params if len(request.query_params.getlist(k)) > 1), None)
    if twice is not None:
        values = ", ".join(repr(v) for v in request.query_params.getlist(twice))
        raise ApiError(422, "repeated_parameter", f"query parameter {twice!r} is given more than once ({values}); "
                       "it takes one value", field=twice)


def _uncompressed(request: Request) -> None:
    """415 for a body that parsed though sent with a Content-Encoding (one that did not is refused by the
    error handlers, ``compressed_body``)."""
    refused = compressed_body(request)
    if refused is not None:
        raise refused


class _Utf8Route(APIRoute):
    """A route whose JSON body must be UTF-8 (RFC 8259), checked before FastAPI parses it: its
    ``json.loads(bytes)`` would read a UTF-16 or UTF-32 body as well, which the docs say is a 422."""

    def get_route_handler(self):
        handle = super().get_route_handler()

        async def strict(request: Request) -> Response:
            if json_content(request) and compressed_body(request) is None:  # a compressed body is a 415 first
                refused = not_utf8(await request.body())
                if refused is not None:
                    raise refused
            return await handle(request)

        return strict


health_router = APIRouter()
v1_router = APIRouter(prefix="/v1", dependencies=[Security(bearer_scheme), Depends(_known_query),
                                                  Depends(_uncompressed)], responses=_ERRORS, route_class=_Utf8Route)

# Routes take a plain {name}, never {name:path}: a path parameter swallowed 'northwind/histry' as a bad name (422)
# where the answer is 404 or 405. Names sent with %2F are answered 422 by the 404 handler (errors.py).
ProfileName = Annotated[str, Path(pattern=NAME_PATTERN, description="profile name: [a-z0-9][a-z0-9_-]{0,63}")]


def _blank_is(default: Any) -> BeforeValidator:
    """An empty query value (``?verdict=``, as a web form sends a field left blank) is the parameter not given: some
    parameters had ignored one and others answered 422 (an integrator's review). Not for the yes/no ones (store,
    keep_history), which must say which."""
    return BeforeValidator(lambda v: default if v == "" else v)


# "IT" or "En" means what the library's explain_in means (it lower-cases too): a 422 for the case would be pedantry.
ExplainIn = Annotated[Literal["en", "it"] | None, _blank_is(None),
                      BeforeValidator(lambda v: v.lower() if isinstance(v, str) else v),
                      Query(
    description="language of the reasons, the card or the report: en or it, any case (default: the profile's "
                "language, English for a language voicecheck does not explain in)")]


def _state(request: Request):
    return request.app.state.service


# ---------------------------------------------------------------------- health
@health_router.get("/healthz", response_model=Health, responses={
    503: {"model": Health}, 405: _error("only GET"), 413: _error("request body too large")})
async def healthz(request: Request) -> JSONResponse:
    """Ready when the database answers, the models directory is readable and start-up loading is done."""
    svc = _state(request)
    db_state = await _ping(svc.store)
    failed = getattr(svc.store, "write_failure", None)
    if db_state == "ok" and failed is not None and time.monotonic() - failed[0] < WRITE_FAILURE_S:
        db_state = "writes failing"  # a full disk: reads answer, every score fails to be stored
    db_ok = db_state == "ok"
    models_ok = svc.registry.models_dir.is_dir() and _readable(svc.registry.models_dir)
    checks = {"database": db_state, "models_dir": "ok" if models_ok else "unreadable",
              "warm_up": svc.warm_state, "profiles_not_loaded": dict(svc.warm_problems)}
    if not (db_ok and models_ok):
        status = "unavailable"
    elif svc.warm_state != "done":
        status = "starting"
    else:
        status = "ok"
    body = {"status": status, "checks": checks, "embedding_models": svc.registry.loaded_models,
            "profiles_loaded": svc.registry.loaded_count}
    return JSONResponse(body, status_code=200 if status == "ok" else 503)


@health_router.head("/healthz", include_in_schema=False)
async def healthz_head(request: Request) -> Response:
    """The same check for load balancers that probe with HEAD: the status, no body."""
    answer = await healthz(request)
    return Response(status_code=answer.status_code, media_type="application/json")


#: The health check's own thread: in the shared pool it queued behind every running drift and learn, and
#: answered in 28 s when the service was busy, which a load balancer reads as dead.
_HEALTH_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voicecheck-health")
#: Longer than this and the database is reported "slow" (503), not waited for.
PING_TIMEOUT_S = 2.0
#: For this long after a write to the history failed (and none succeeded since), the health check says so (503):
#: then it says ok again, so that traffic comes back and tries, once the operator has freed the disk.
WRITE_FAILURE_S = 30.0


async def _ping(store) -> str:
    """"ok", "unreachable" or "slow": the database's answer to a trivial query, within ``PING_TIMEOUT_S``."""
    loop = asyncio.get_running_loop()
    try:
        ok = await asyncio.wait_for(asyncio.shield(loop.run_in_executor(_HEALTH_THREAD, store.ping)), PING_TIMEOUT_S)
    except asyncio.TimeoutError:
        return "slow"
    return "ok" if ok else "unreachable"


def _readable(folder) -> bool:
    import os
    return os.access(folder, os.R_OK | os.X_OK)


# ---------------------------------------------------------------------- profiles
async def _profile(request: Request, name: str) -> VoiceProfile:
    """The loaded profile ``name`` (a stat when cached; loading happens off the event loop)."""
    svc = _state(request)
    hit = svc.registry.cached(name)
    if hit is None:
        try:
            hit = await run_in_threadpool(svc.registry.get, name)
        except ProfileError as e:
            if not isinstance(e, ProfileNotFoundError):
                svc.note_unusable(name, e)
            raise
    if svc.warm_problems:
        svc.note_usable(name)
    return hit


def _summary(registry, name: str) -> dict[str, Any]:
    try:
        p = registry.get(name)
    except ApiError:
        return {}
    except VoicecheckError as e:  # listed as unusable; scoring it says why with its own status
        return {"name": name, "usable": False, "problem": profile_problem(e)}
    return {"name": name, "version": p.version_, "lang": p.lang_, "learned_at": p.learned_at_,
            "n_documents": p.n_documents_, "usable": True, "warning": p.style_mismatch()}


@v1_router.get("/profiles", response_model=ProfileList)
async def list_profiles(request: Request) -> dict[str, Any]:
    """The profiles in the models directory."""
    registry = _state(request).registry

    def collect() -> list[dict[str, Any]]:
        return [s for s in (_summary(registry, n) for n in registry.names()) if s]

    return {"profiles": await run_in_threadpool(collect)}


@v1_router.post("/profiles", status_code=201, response_model=LearnResponse,
                responses={409: _error("this profile is being learned right now, or its folder is not a "
                                                "profile's")})
async def learn_profile(request: Request, body: LearnRequest, explain_in: ExplainIn = None) -> dict[str, Any]:
    """Learn a profile from the brand's writing (replaces one of the same name, atomically)."""
    svc = _state(request)
    settings = svc.settings
    if len(body.documents) + len(body.contrast) > settings.max_learn_documents:
        raise ApiError(413, "too_many_documents", f"at most {settings.max_learn_documents:,} documents per request",
                       field="documents")
    docs = _documents([d.model_dump() for d in body.documents], "documents", settings.max_text_chars)
    try:
        docs = documents_between(docs, body.since, body.until)
    except InputError as e:
        if e.field == "date":  # name the first undated document, as for any other bad document
            e.path, e.line = "body.documents", next(i for i, d in enumerate(docs) if d.date is None) + 1
        raise
    contrast = _documents([d.model_dump() for d in body.contrast], "contrast", settings.max_text_chars)
    try:
        profile, warnings = await run_in_threadpool(svc.registry.learn, body.name, docs, contrast, body.lang)
    except asyncio.CancelledError:
        # uvicorn's grace period at shutdown ran out during the learning (20-80 s): JSON, as for a score, not its
        # plain-text 500 without a request id (an operations review). Its save is atomic: the profile is the old
        # one, or, if the save had begun, the new one whole.
        raise ApiError(503, "shutting_down", f"the service is shutting down and learning '{body.name}' was not "
                       "finished; send it again once the service is back (the profile is the one it had, or, if "
                       "its save had begun, the new one whole)", headers={"Retry-After": "5"}) from None
    except InputError as e:
        if isinstance(e, TooLittleDataError) and e.field is None and not e.path:
            e.field = "documents"  # too little of the brand's writing: the part of the request to add to
        raise
    return {"profile": profile.info, "card": voice_card(profile, explain_in=explain_in), "warnings": warnings}


# ---------------------------------------------------------------------- scoring
def _documents(records: list[dict[str, Any]], where: str, max_chars: int):
    """Body records to Documents with the corpus rules; errors name the item (``items[2].text``).

    Every bad item of a batch is found, not only the first: the 422 names the first and lists them all in
    ``details`` (past ``errors.MAX_DETAILS``, counted in ``omitted``), so a publishing tool fixes its batch in
    one round, not one per item.
    """
    docs, problems = [], []
    for i, r in enumerate(records):
        try:
            docs.append(_document(r, i, where, max_chars))
        except VoicecheckError as e:
            problems.append(map_library_error(e))
        except ApiError as e:
            problems.append(e)
    if problems:
        first = problems[0]
        first.details = [{"field": p.field, "message": p.message} for p in problems]
        raise first
    return docs


def _document(record: dict[str, Any], i: int, where: str, max_chars: int):
    """One body record to a Document, its errors naming the item (``items[2].text``; ``text`` for a lone draft)."""
    name = (lambda field: f"{where}[{i}].{field}") if where else (lambda field: field)
    text = record.get("text")
    if isinstance(text, str) and len(text) > max_chars:
        # The operator's setting, named: the same article scores from the command line, whose limit is 200,000
        # (a content lead's review)
        raise ApiError(422, "text_too_long", f"text is {len(text):,} characters; the limit is {max_chars:,} "
                       f"(this service's VOICECHECK_MAX_TEXT_CHARS)", field=name("text"))
    try:
        # Its position names an item without an id ("body.items:3"): converted one at a time, every item had
        # been "body.items:1", in the history and in learning's warnings (an integrator's review).
        doc = documents_from_records([record], origin=f"body.{where}" if where else "body", start=i + 1)[0]
    except VoicecheckError as e:
        e.line = i + 1 if where else None  # a lone draft has no item index
        raise
    if doc.date is not None and doc.date.date() > LATEST_DAY:
        raise _too_late(doc.date.date().isoformat(), name("date"))
    return doc


def _too_late(day: str, field: str) -> ApiError:
    """A date after ``LATEST_DAY``: stored, it would make every drift report of the profile fail."""
    return ApiError(422, "invalid_date", f"date {day} is after {LATEST_DAY.isoformat()}, the last day the "
                    "history and drift reports can take", field=field)


@v1_router.post("/profiles/{name}/score",
                responses={**_UNKNOWN, **_UNUSABLE,
                           200: {"model": ScoreResultOut | ScoreBatchOut,
                                 "description": "a ScoreResult for one draft, {\"results\": [...]} for a batch"}})
async def score(request: Request, name: ProfileName,
                body: Annotated[ScoreItem | ScoreBatch, Body()], explain_in: ExplainIn = None,
                store: Annotated[bool, Query(description="false: score without keeping the drafts in the history "
                                             "(an editor's checks before publishing; record the published post "
                                             "with the default, true)")] = True) -> JSONResponse:
    """Score one draft or a batch; every scored draft is stored for drift reports, unless ``store=false``.

    Why ``store=false``: a publishing tool checks a draft, the editor fixes it, and checks it again; stored
    each time, one published post counted as three in the drift report, two of them off-voice (an
    integrator's review).
    """
    svc = _state(request)
    settings = svc.settings
    batch = isinstance(body, ScoreBatch)
    if batch and len(body.items) > settings.max_batch_items:
        raise ApiError(422, "batch_too_large", f"{len(body.items):,} items; at most {settings.max_batch_items:,} "
                       "per request", field="items")
    records = [i.model_dump() for i in body.items] if batch else [body.model_dump()]
    docs = _documents(records, "items" if batch else "", settings.max_text_chars)
    profile = await _profile(request, name)
    try:
        # The language resolved here: drafts asking for the profile's default and for it by name share a batch.
        results = await _unless_abandoned(request, svc.batcher.score(profile, docs, name,
                                                                     explain_language(explain_in, profile.lang_),
                                                                     store=store))
    except asyncio.CancelledError:
        # uvicorn cancels the requests still running when its grace period at shutdown is over. The drafts were
        # withdrawn before being stored (batching.py): say so in JSON, not with uvicorn's plain-text 500.
        raise ApiError(503, "shutting_down", "the service is shutting down and this request was not finished; "
                       "nothing of it was stored: send it again", headers={"Retry-After": "5"}) from None
    if batch:
        return JSONResponse({"results": [r.to_dict() for r in results]})
    return JSONResponse(results[0].to_dict())


#: How often a waiting score request checks that its client is still there.
DISCONNECT_POLL_S = 0.5


async def _unless_abandoned(request: Request, scoring):
    """Await ``scoring`` while the client waits; when it hangs up, withdraw the drafts (``batching``): a batch not
    yet scored is skipped and nothing of it is stored, so the client's retry does not store it twice.

    Why: a client that timed out left its batch running and stored, and a lone request behind it waited minutes
    (an operations review). Starlette does not cancel a request whose client went away.
    """
    task = asyncio.ensure_future(scoring)
    while True:
        try:
            done, _ = await asyncio.wait({task}, timeout=DISCONNECT_POLL_S)
        except asyncio.CancelledError:  # the server stopping: the scoring withdraws, or finishes storing
            task.cancel()
            return await task
        if done:
            return task.result()
        if await request.is_disconnected():
            task.cancel()
            try:
                return await task  # its results were already being stored: they are moments away
            except asyncio.CancelledError:
                log.info("client of request %s went away: its drafts were withdrawn, nothing stored",
                         request_id(request))
                raise ApiError(499, "client_closed", "the client went away; nothing of it was stored") from None


# ---------------------------------------------------------------------- history and drift
def _date(value: str | None, field: str) -> str | None:
    """``value`` checked as an ISO 8601 date, passed on as written: a date-only ``until`` means its whole day."""
    if value is None or value.strip() == "":
        return None
    bad = next((c for c in value.strip() if unicodedata.category(c) == "Cc"), None)
    if bad is not None:  # "2026-03-02T10:00:00\x00" parses, and PostgreSQL cannot take a NUL as a parameter
        raise ApiError(422, "invalid_date", f"{field} holds a control character ({ord(bad):#06x}) at character "
                       f"{value.index(bad) + 1}: a date is written YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS", field=field)
    from voicecheck.documents import day_as_written, parse_date, period_bound
    value = period_bound(value, end=field == "until")  # a month (2026-05) or a week (2026-W18): its days
    try:
        last = max(parse_date(value).date(), day_as_written(value))
    except ValueError as e:
        raise ApiError(422, "invalid_date", str(e), field=field) from None
    if last > LATEST_DAY:
        raise _too_late(last.isoformat(), field)
    return value.strip()


def _label(value: str | None, field: str) -> str | None:
    """A source, channel or author filter checked as a stored label is (``corpus.check_label``: a NUL in one was
    a retryable 503 on PostgreSQL) and put in the stored form. An empty filter (a form's blank field: ?source=)
    is no filter, as an empty since is."""
    if not value:
        return None
    check_label(value, field)  # an InputError: 422 naming the field
    return group_label(value)  # as stored: ?source=agency%C2%A0 finds "agency"


HistorySince = Annotated[str | None, Query(description="ISO 8601 date or datetime: posts dated from this day "
                                           "(from midnight UTC) or from this instant, included; a month 2026-05 or "
                                           "week 2026-W18 from its first day")]
HistoryUntil = Annotated[str | None, Query(description="ISO 8601 date or datetime: posts dated up to this day "
                                           "(its whole UTC day) or up to this instant, included; a month or week "
                                           "to its last day; before since is 422")]


@v1_router.get("/profiles/{name}/history", response_model=HistoryPageOut, responses=_UNKNOWN)
async def history(request: Request, name: ProfileName,
                  limit: Annotated[int, _blank_is(50), Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, _blank_is(0), Query(ge=0, le=1_000_000)] = 0,
                  cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
                  since: HistorySince = None, until: HistoryUntil = None,
                  source: str | None = None, channel: str | None = None, author: str | None = None,
                  verdict: Annotated[Literal["on-voice", "borderline", "off-voice", "too-short"] | None,
                                     _blank_is(None)] = None,
                  style: Annotated[bool, Query(description="true: each result with its measured style features "
                                                           "(style, new_marks), as voicecheck.drift_report reads "
                                                           "them")] = False) -> dict[str, Any]:
    """Stored scored posts, newest scored first, with the profile version that scored each.

    The order is the order they were stored in, not their dates, so a cursor never skips
    or repeats a post. The date filters use each post's date (undated posts count as dated
    when they were scored); both ends are included, a date as its whole UTC day.
    """
    svc = _state(request)
    before = None
    if cursor:
        if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > 18:  # "²" is a digit to isdigit()
            raise ApiError(422, "invalid_cursor", "cursor must be a next_cursor value from a previous page",
                           field="cursor")
        before = int(cursor)
        if offset:  # both had been applied, one after the other (an integrator's review); offset=0 is no offset
            raise ApiError(422, "invalid_cursor", "give cursor or offset, not both: a cursor pages on from where the "
                           "previous page ended, an offset counts from the newest post", field="offset")
    if name not in svc.registry.names() and await run_in_threadpool(svc.store.count, name) == 0:
        raise ApiError(404, "profile_not_found", f"no profile named {name!r}")
    since, until = _date(since, "since"), _date(until, "until")
    source, channel, author = (_label(v, f) for v, f in ((source, "source"), (channel, "channel"), (author, "author")))
    page = await run_in_threadpool(lambda: svc.store.history(
        name, limit=limit, offset=offset, before=before, since=since, until=until,
        source=source, channel=channel, author=author, verdict=verdict, **({"with_style": True} if style else {})))
    return {**page, "limit": limit, "offset": offset}


@v1_router.delete("/profiles/{name}/history", response_model=HistoryDeleted, responses=_UNKNOWN)
async def delete_history(request: Request, name: ProfileName,
                         until: Annotated[str, Query(description="ISO 8601 date or datetime: the posts dated up to "
                                                     "this day (its whole UTC day; a month 2026-05 or week 2026-W18 to "
                                                     "its last day) or this instant, included, are deleted")]
                         ) -> dict[str, Any]:
    """Delete the stored posts dated up to ``until``: a retention policy (drafts kept 13 months, say).

    Undated posts are dated by when they were scored, as in the history and drift reports. The profile and its
    later posts stay; to delete all of them, delete the profile. Posts being stored while this runs may stay.
    """
    svc = _state(request)
    until = _date(until, "until")
    if until is None:
        raise ApiError(422, "invalid_date", "give until: the last day whose stored posts to delete (to delete them "
                       "all, DELETE the profile)", field="until")
    if name not in svc.registry.names() and await run_in_threadpool(svc.store.count, name) == 0:
        raise ApiError(404, "profile_not_found", f"no profile named {name!r}")
    deleted = await run_in_threadpool(lambda: svc.store.delete_history(name, until=until))
    log.info("deleted %d stored posts of %s dated up to %s (request %s)", deleted, name, until, request_id(request))
    return {"deleted": deleted, "until": until}


async def _drift(request: Request, name: str, window: str, by: str | None, since: str | None,
                 until: str | None, explain_in: str | None) -> dict[str, Any]:
    """The report over the posts the current version scored, as ``voicecheck report`` makes it.

    All of them go to the library with since/until as written, so it counts and words
    them as the command line does (n_posts, "N dated posts fall outside it").
    """
    from voicecheck.drift import stored_drift_report

    svc = _state(request)
    profile = await _profile(request, name)
    since, until = _date(since, "since"), _date(until, "until")
    _check_period(window, since, until)  # before waiting for a turn: a 422 is no "busy" (an integrator's review)

    def build() -> dict[str, Any]:
        # The library checks window, by and the date range; its InputError maps to 422 at the door.
        return stored_drift_report(svc.store, name, profile, window=window, by=by, since=since, until=until,
                                   explain_in=explain_in)

    try:
        async with svc.drift_turn():
            if await request.is_disconnected():  # gone while it waited: building it would only delay the next ones
                log.info("drift report of %s not built: the client went away while it waited (request %s)", name,
                         request_id(request))
                raise ApiError(499, "client_closed", "the client went away before the report was built")
            return await run_in_threadpool(build)
    except asyncio.CancelledError:
        raise _stopped_drift() from None


def _check_period(window: str, since: str | None, until: str | None) -> None:
    """A period that no report can hold, said before the report waits for a turn (a burst of reports answered a
    period of 2,000 days with 503 busy, which a retry does not mend): until before since, or more windows between
    since and until than a report holds, whatever posts lie in it (``check_span``, as ``voicecheck report``)."""
    from voicecheck.drift import check_span

    check_span([], window, since, until)


def _stopped_drift() -> ApiError:
    """A report cut off by the server stopping: JSON, as a score's or a learn's, not uvicorn's plain-text 500 and a
    traceback per request (an operations review). It stores nothing, so it can simply be asked for again."""
    return ApiError(503, "shutting_down", "the service is shutting down and this report was not finished; ask for "
                    "it again once the service is back", headers={"Retry-After": "5"})



Window = Annotated[Literal["day", "week", "month"], _blank_is("week"), Query()]
By = Annotated[Literal["source", "channel", "author"] | None, _blank_is(None), Query()]
DateQ = Annotated[str | None, Query(description="ISO 8601 date, both days included (a datetime counts as the day "
                                    "written in it; a month 2026-05 or week 2026-W18 is all of its days); until "
                                    "before since is 422")]


@v1_router.get("/profiles/{name}/drift", response_model=None,  # sent as the library makes it; documented below
               responses={**_UNKNOWN, **_UNUSABLE,
                          200: {"model": DriftReportOut, "description": "DriftReport (docs/reference.md)"}})
async def drift(request: Request, name: ProfileName, window: Window = "week", by: By = None,
                since: DateQ = None, until: DateQ = None, explain_in: ExplainIn = None) -> dict[str, Any]:
    """Drift from the profile's voice, window by window, of the stored posts its current version scored.

    ``other_versions`` counts the stored posts other versions scored, left out (the summary says so).
    """
    return await _drift(request, name, window, by, since, until, explain_in)


_JSON_ERRORS = {code: {**{k: v for k, v in spec.items() if k != "model"}, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for code, spec in {**_ERRORS, **_UNKNOWN, **_UNUSABLE}.items()}


@v1_router.get("/profiles/{name}/drift.html", response_class=HTMLResponse,
               responses={200: {"content": {"text/html": {}}, "description": "the drift report page"},
                          **_JSON_ERRORS})
async def drift_html(request: Request, name: ProfileName, window: Window = "week", by: By = None,
                     since: DateQ = None, until: DateQ = None, explain_in: ExplainIn = None) -> HTMLResponse:
    """The drift report as a page a person can read at a glance."""
    from voicecheck.report_render import render_report

    report = await _drift(request, name, window, by, since, until, explain_in)
    return HTMLResponse(await run_in_threadpool(render_report, report, "html"))


@v1_router.get("/profiles/{name}", response_model=None,  # sent as the library makes it; documented below
               responses={**_UNKNOWN, **_UNUSABLE,
                          200: {"model": VoiceCardOut,
                                "description": "the voice card (as `voicecheck describe --format json`)"}})
async def get_profile(request: Request, name: ProfileName, explain_in: ExplainIn = None) -> dict[str, Any]:
    """The voice card: what the profile learned, in plain words."""
    return voice_card(await _profile(request, name), explain_in=explain_in)


@v1_router.delete("/profiles/{name}", status_code=204, response_class=Response,
                  responses={**_UNKNOWN, 409: _error("the profile is being learned or deleted right now")})
async def delete_profile(request: Request, name: ProfileName,
                         keep_history: Annotated[bool, Query(description="keep its scored posts")] = False) -> Response:
    """Delete a profile folder and (unless ``keep_history``) its stored history.

    A name whose folder is gone but whose history was kept: that history is deleted.
    404 only when there is neither.
    """
    await run_in_threadpool(lambda: _state(request).delete(name, keep_history=keep_history))
    return Response(status_code=204)
