"""Every error leaves the service as JSON: ``{"error": {"code", "message", "field"?}}``.

The library's exceptions are mapped to statuses here and nowhere else; anything
unexpected is logged and answered with a plain JSON 500, never a traceback.
"""

from __future__ import annotations

import logging
import re
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from voicecheck.errors import (InputError, LanguageError, ModelUnavailableError, NotFittedError, ProfileError,
                               ProfileFormatError, ProfileNotFoundError, ProfileUnreadableError, StorageError,
                               TooLittleDataError, VoicecheckError)

from .request_id import loggable_path, request_id

__all__ = ["ApiError", "UnexpectedErrorMiddleware", "compressed_body", "error_body", "install_error_handlers",
           "json_content", "not_utf8"]

log = logging.getLogger("voicecheck.api")


class ApiError(Exception):
    """An error the doors raise on purpose, with its status and machine-readable code."""

    def __init__(self, status: int, code: str, message: str, *, field: str | None = None,
                 headers: dict[str, str] | None = None, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field, self.headers = status, code, message, field, headers
        self.details = details  # every problem found ({"field", "message"}), when there can be several


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        err["field"] = field
    err.update(extra)
    return {"error": err}


#: A 422 lists at most this many problems in ``details`` (a full batch's bad items at the default batch limit of
#: 256, a few problems each), and counts the others in ``omitted``: at 20, with no count, a batch of 30 bad
#: drafts took two rounds to fix (an integrator's review).
MAX_DETAILS = 1000


def _json(status: int, code: str, message: str, field: str | None = None, headers=None, **extra) -> JSONResponse:
    if status == 422 and extra.get("details") is None:  # a client reads every 422's problems in one place
        extra["details"] = [{"field": field, "message": message}]
    if extra.get("details") is not None and len(extra["details"]) > MAX_DETAILS:
        extra["omitted"] = len(extra["details"]) - MAX_DETAILS
        extra["details"] = extra["details"][:MAX_DETAILS]
    return JSONResponse(error_body(code, message, field, **extra), status_code=status, headers=headers)


def _input_field(e: InputError) -> str | None:
    """``body.items`` line 3, field text -> ``items[2].text``: where in the request body it is."""
    path = e.path or ""
    base = path[len("body."):] if path.startswith("body.") else ""
    if base and e.line is not None:
        where = f"{base}[{e.line - 1}]"
        return f"{where}.{e.field}" if e.field else where
    return e.field


def map_library_error(e: VoicecheckError) -> ApiError:
    """The one table from library exceptions to HTTP statuses."""
    if isinstance(e, InputError):
        # A date is "invalid_date" wherever it is, in a body as in a query (a date in a draft had been
        # "invalid_input", the same date as ?since= "invalid_date": an integrator's review).
        code = "invalid_input"
        if isinstance(e, TooLittleDataError):
            code = "too_little_data"
        elif e.field in ("date", "since", "until"):
            code = "invalid_date"
        return ApiError(422, code, getattr(e, "detail", str(e)), field=_input_field(e))
    if isinstance(e, LanguageError):
        return ApiError(422, "language", str(e), field="lang")
    if isinstance(e, ProfileNotFoundError):
        return ApiError(404, "profile_not_found", "no such profile")
    if isinstance(e, ProfileUnreadableError):  # the server's folder, not the client's request: retry once fixed
        return ApiError(503, "profile_unreadable", f"the profile folder cannot be read on the server: "
                        f"{_last(str(e))}; the operator must fix it", headers={"Retry-After": "30"})
    if isinstance(e, ProfileFormatError):
        return ApiError(409, "profile_unusable", f"the profile folder cannot be used: {_last(str(e))}; "
                        "learn it again")
    if isinstance(e, ProfileError):  # e.g. learning over a folder of that name that is not a profile
        return ApiError(409, "profile_conflict", f"cannot write the profile: {_last(str(e))}")
    if isinstance(e, ModelUnavailableError):
        return ApiError(503, "model_unavailable", str(e))
    if isinstance(e, StorageError):
        # a database that is down or slow may answer again soon, as a stopping server's 503 says
        return ApiError(503, "storage_unavailable", "the history database is not available; try again later",
                        headers={"Retry-After": "5"})
    if isinstance(e, NotFittedError):
        return ApiError(409, "profile_unusable", str(e))
    return ApiError(500, "internal", "unexpected library error")


def profile_problem(e: VoicecheckError) -> str:
    """Why a profile cannot be used, as the listing says it: the message without the server's path, with the file
    ("words.json: file was edited or truncated ...")."""
    return _last(str(e))


def _last(message: str) -> str:
    """A profile error without its absolute path (clients need not see the server's layout), but with the
    file it is about: "words.json: file was edited or truncated"."""
    if ": " not in message:
        return message
    path, rest = message.split(": ", 1)
    name = PurePath(path).name
    return f"{name}: {rest}" if name.endswith((".json", ".npy")) else rest  # a file of the profile, not its folder


#: Pydantic names each branch of a union (``author: str | int``) in the error location; a client is told the types.
_BRANCHES = {"str": "a string", "int": "an integer", "float": "a number", "bool": "true or false"}


def _problems(errors: list[dict[str, Any]]) -> list[tuple[str | None, str]]:
    """(field, message) per problem: the failed branches of one union become one "must be a string or an integer"."""
    out: list[tuple[str | None, Any]] = []
    unions: dict[str | None, list[str]] = {}
    for e in errors:
        loc = tuple(e.get("loc", ()))
        kind = _BRANCHES.get(loc[-1]) if len(loc) > 1 and isinstance(loc[-1], str) else None
        if kind is None:
            message = str(e.get("msg", ""))
            if e.get("type") == "extra_forbidden":  # "Extra inputs are not permitted" does not say what is
                message = _unknown_field(loc)
            elif e.get("type") == "string_pattern_mismatch" and loc == ("body", "name"):
                # a learn request's name: the words a bad name in the path gets, not pydantic's regular expression
                # (an operations review)
                from .registry import invalid_name

                message = invalid_name().message
            out.append((_loc_to_field(loc), message))
            continue
        field = _loc_to_field(loc[:-1])
        if field not in unions:
            unions[field] = []
            out.append((field, unions[field]))
        unions[field].append(kind)
    return [(f, m if isinstance(m, str) else "must be " + " or ".join(m)) for f, m in out]


#: The lists of a body whose items are documents: a batch's drafts, a learn request's writing.
_DOCUMENT_LISTS = ("items", "documents", "contrast")


def _with_content_problems(request: Request, body: Any, errors: list[dict[str, Any]],
                           problems: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    """``problems`` (of the schema) with those of the items the schema let through (an empty text, a bad date), in
    the items' order. Why: a batch with an item of the wrong type and another with an empty text was answered
    one problem kind per round trip, where the docs promise every bad item at once (an integrator's review)."""
    from .routes import _document  # here: routes imports this module

    if not isinstance(body, dict):
        return problems
    path = request.url.path.rstrip("/")
    lists = ("items",) if path.endswith("/score") else ("documents", "contrast") if path.endswith("/profiles") else ()
    service = getattr(request.app.state, "service", None)
    max_chars = service.settings.max_text_chars if service is not None else None
    found: list[tuple[tuple[int, int], str | None, str]] = []
    for rank, (field, message) in enumerate(problems):
        found.append((_item_order(field, rank), field, message))
    for where in lists:  # the route's own lists only: an unknown "documents" of a score request is not read
        records = body.get(where)
        if max_chars is None or not isinstance(records, list):
            continue
        typed = {e["loc"][i + 1] for e in errors for i, part in enumerate(e.get("loc", ())[:-1]) if part == where
                 and isinstance(e["loc"][i + 1], int)}  # items the schema already named
        for i, record in enumerate(records):
            if len(found) >= 20:  # as many as a 422 lists: a batch of thousands is not read through
                break
            if i in typed or not isinstance(record, dict):
                continue
            try:
                _document(record, i, where, max_chars)
            except (VoicecheckError, ApiError) as e:
                mapped = map_library_error(e) if isinstance(e, VoicecheckError) else e
                found.append(((_DOCUMENT_LISTS.index(where), i), mapped.field, mapped.message))
    found.sort(key=lambda x: x[0])
    return [(f, m) for _, f, m in found]


def _item_order(field: str | None, rank: int) -> tuple[int, int]:
    """Where a schema problem's field (``items[2].text``) stands among the items; fields of no item come first."""
    m = re.match(r"(\w+)\[(\d+)\]", field or "")
    if m and m.group(1) in _DOCUMENT_LISTS:
        return _DOCUMENT_LISTS.index(m.group(1)), int(m.group(2))
    return -1, rank


def _unknown_field(loc: tuple) -> str:
    """What the body at ``loc`` takes: a draft, a batch, or (neither in its location) a learn request."""
    in_item = any(isinstance(p, int) for p in loc)
    if "ScoreBatch" in loc and not in_item:
        return "unknown field: a batch has items only"
    if "ScoreItem" in loc or "ScoreBatch" in loc:
        return "unknown field: a draft has text, id, date, source, channel, author, lang and markup"
    return "unknown field: a learn request has name, documents, contrast, lang, since and until"


def json_content(request: Request) -> bool:
    """Whether the request says its body is JSON (``application/json`` or ``+json``): FastAPI parses only those."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return ctype == "application/json" or ctype.endswith("+json")


def not_utf8(body: bytes) -> ApiError | None:
    """The 422 for a JSON body that is not UTF-8, or None.

    RFC 8259 says JSON is exchanged as UTF-8, and the docs promise a 422 otherwise, but
    ``json.loads(bytes)`` also reads UTF-16 and UTF-32, guessing from a byte order mark
    or from NUL bytes in the first four (no JSON text holds a raw NUL). A UTF-8 byte
    order mark is ignored, as the RFC allows.
    """
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in body[:4]:
        return ApiError(422, "invalid_json", "the request body is not valid UTF-8 JSON: it looks like UTF-16 or "
                        "UTF-32; send the JSON as UTF-8")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as bad:
        return ApiError(422, "invalid_json", f"the request body is not valid UTF-8 JSON: byte "
                        f"0x{bad.object[bad.start]:02x} at position {bad.start} is not UTF-8")
    return None


def _where(doc: Any, pos: Any) -> str:
    """"line 2, column 3 (character 11)" for a JSON error at ``pos`` in ``doc`` (a character offset alone when
    the text is not at hand)."""
    if not isinstance(doc, str) or not isinstance(pos, int):
        return f"character {pos}"
    line = doc.count("\n", 0, pos) + 1
    column = pos - doc.rfind("\n", 0, pos)
    return f"line {line}, column {column} (character {pos})"


def _not_an_object(body: Any, raw: bytes) -> str:
    """Why a body is not the JSON object a route takes: empty, or which JSON value it is instead."""
    if not raw.strip():
        return "the request body is empty: send a JSON object (Content-Type: application/json)"
    kinds = {type(None): "null", bool: "true or false", list: "an array", str: "a string", int: "a number",
             float: "a number"}
    kind = kinds.get(type(body))
    return f"the request body must be a JSON object, not {kind}" if kind else \
        "the request body must be a JSON object (Content-Type: application/json)"


def compressed_body(request: Request) -> ApiError | None:
    """The 415 for a body sent with a Content-Encoding (gzip, deflate), or None: the service reads bodies as
    sent (a gzip stream would be reported as invalid UTF-8), and refuses them whether or not they parse."""
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if encoding and encoding != "identity":
        return ApiError(415, "unsupported_media_type", f"Content-Encoding {encoding} is not supported: send the "
                        "JSON body uncompressed")
    return None


def _encoding_refused(request: Request) -> JSONResponse | None:
    refused = compressed_body(request)
    return None if refused is None else _json(refused.status, refused.code, refused.message)


def _content_type_refused(request: Request) -> JSONResponse | None:
    """415 naming the Content-Type when a body was sent as something other than JSON (FastAPI then reads none)."""
    if json_content(request):
        return None
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    got = f"got {ctype}" if ctype else "none was sent"
    return _json(415, "unsupported_media_type", f"the request body must be JSON with Content-Type: "
                 f"application/json ({got})")


def _loc_to_field(loc: tuple) -> str | None:
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif p in ("ScoreItem", "ScoreBatch") or (isinstance(p, str) and "[" in p):
            continue  # union branch names and tagged-union labels say nothing to a client
        else:
            out += f".{p}" if out else str(p)
    return out or None


def _name_error() -> JSONResponse:
    from .registry import invalid_name  # here, not at the top: the registry raises ApiError

    e = invalid_name()
    return _json(e.status, e.code, e.message, e.field)


def _bad_name_in_path(request: Request) -> bool:
    """Whether a ``/v1/profiles/<name>/...`` path carries an invalid name, as sent (``a%2Fb`` is one segment)."""
    from .registry import valid_name

    raw = request.scope.get("raw_path") or request.scope.get("path", "").encode()
    _, found, rest = raw.partition(b"/v1/profiles/")
    segment = rest.split(b"/", 1)[0]
    # No name at all ("/v1/profiles/", "/v1/profiles//score") is a path no route has: 404, as ".../score/" is.
    return bool(found and segment) and not valid_name(unquote_to_bytes(segment).decode("utf-8", "replace"))


#: The order methods are listed in an Allow header.
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed(request: Request) -> str:
    """Every method some route takes on this path. Starlette names only the first route whose path matched:
    "allow: GET" on /v1/profiles, which takes POST too. (The routes are the routers' own, kept by create_app:
    FastAPI wraps included routers in private objects.)"""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in getattr(request.app.state, "api_routes", ()):
        match, _ = route.matches(request.scope)  # PARTIAL: the path matched, the method did not
        if match != Match.NONE and getattr(route, "methods", None):
            methods |= set(route.methods)
    return ", ".join(sorted(methods, key=lambda m: _METHODS.index(m) if m in _METHODS else len(_METHODS)))


def install_error_handlers(app: FastAPI) -> None:
    """Register the JSON error handlers on ``app``."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        extra = {"details": exc.details} if exc.details is not None else {}
        return _json(exc.status, exc.code, exc.message, exc.field, exc.headers, **extra)

    @app.exception_handler(VoicecheckError)
    async def _library_error(request: Request, exc: VoicecheckError) -> JSONResponse:
        mapped = map_library_error(exc)
        if mapped.status == 503:  # before the >= 500 branch, which used to take it: the log said only "StorageError"
            log.warning("unavailable on %s %s (request %s): %s", request.method, loggable_path(request.url.path),
                        request_id(request), exc)
        elif mapped.status >= 500:
            log.error("library error on %s %s (request %s): %s", request.method, loggable_path(request.url.path),
                      request_id(request), type(exc).__name__)
        return _json(mapped.status, mapped.code, mapped.message, mapped.field, mapped.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        body = getattr(exc, "body", None)
        # A score body is a draft or a batch: report only the errors of the shape the client meant.
        other = "ScoreItem" if isinstance(body, dict) and "items" in body else "ScoreBatch"
        errors = [e for e in errors if other not in e.get("loc", ())] or errors
        first = errors[0] if errors else {}
        if first.get("type") == "json_invalid":  # its loc holds a character offset, not a field
            refused = _encoding_refused(request)  # "xx" sent as gzip: the encoding is what is wrong, as for real gzip
            if refused is not None:
                return refused
            why = first.get("ctx", {}).get("error", "cannot be parsed")
            message = f"invalid JSON at {_where(body, first['loc'][-1])}: {why}"
            return _json(422, "invalid_json", message, details=[{"field": None, "message": message}])
        if tuple(first.get("loc", ())) == ("path", "name"):
            return _name_error()
        problems = _problems(errors)
        field, message = problems[0] if problems else (None, "invalid request")
        if first.get("type") == "text_and_items":
            code, field = "invalid_body", "items"
            problems = [(field, message)]
        elif tuple(first.get("loc", ())) in (("body",), ("body", "ScoreItem"), ("body", "ScoreBatch")):
            refused = _encoding_refused(request) or _content_type_refused(request)
            if refused is not None:
                return refused
            message, code = _not_an_object(body, await request.body()), "invalid_body"
            problems = [(None, message)]
        else:
            code = "validation_error"
            problems = _with_content_problems(request, body, errors, problems)
            field, message = problems[0]
        details = [{"field": f, "message": m} for f, m in problems]
        prefixed = f"{field}: {message}" if field and code == "validation_error" else message
        return _json(422, code, prefixed, field, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code in (404, 405) and _bad_name_in_path(request):
            return _name_error()  # /v1/profiles/a%2Fb reaches no route; the name is what is wrong
        encoded = _encoding_refused(request)
        if encoded is not None and exc.status_code == 400:
            return encoded
        if exc.status_code == 400 and exc.__cause__ is not None:  # FastAPI could not parse the body at all
            cause = exc.__cause__
            why = ("it is nested too deeply to be read" if isinstance(cause, RecursionError)
                   # Python reads no whole number of more than 4,300 digits ("id": 999...: an integrator's review)
                   else "a number in it has more than 4,300 digits" if isinstance(cause, ValueError)
                   and "digits" in str(cause) else f"it cannot be read ({type(cause).__name__})")
            return _json(422, "invalid_json", f"the request body is not usable JSON: {why}")
        headers = getattr(exc, "headers", None)
        message = str(exc.detail)
        if exc.status_code == 404:  # only the router raises these; ours are ApiErrors
            message = f"no route {request.method} {request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
            headers = {**(headers or {}), "Allow": _allowed(request) or (headers or {}).get("Allow", "")}
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 413: "body_too_large"}
        return _json(exc.status_code, codes.get(exc.status_code, "http_error"), message, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Only what UnexpectedErrorMiddleware cannot catch (an error in the middlewares outside it) gets here,
        # where Starlette answers and then re-raises for the server to log a second time.
        return _internal_error(request.method, request.url.path, request_id(request))


def _internal_error(method: str, path: str, rid: str) -> JSONResponse:
    log.exception("unexpected error on %s %s (request %s)", method, loggable_path(path), rid)
    return _json(500, "internal", f"internal error; it has been logged (request {rid})", headers={"X-Request-ID": rid})


class UnexpectedErrorMiddleware:
    """Answer an unexpected exception with the JSON 500 and log its traceback once.

    Why not only ``exception_handler(Exception)``: Starlette runs that handler in its outermost
    middleware and then re-raises, so uvicorn logged every 500's traceback a second time, without
    the request id (an operations review). Here the error ends with its answer. It sits inside
    RequestIdMiddleware, so the id is known and the access line says 500.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_noting_start(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_noting_start)
        except Exception:
            if started:  # part of an answer is out: nothing better to send, the server closes the connection
                raise
            rid = scope.get("state", {}).get("request_id", "-")
            await _internal_error(scope.get("method", "-"), scope.get("path", "-"), rid)(scope, receive, send)
