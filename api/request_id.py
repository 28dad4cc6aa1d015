"""A request id on every answer and in every log line about a request.

Why: an operator who gets "internal error" from a publishing tool needs the one log
line that goes with it. A client may send its own ``X-Request-ID`` (a proxy usually
does); otherwise one is made. It comes back as the ``X-Request-ID`` header, also on
errors raised before any route runs (body too large, bad key).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

__all__ = ["RequestIdMiddleware", "loggable_path", "request_id"]

HEADER = b"x-request-id"
#: One line per request, with its id, status and duration: ``voicecheck serve --access-log`` turns it on (INFO).
access_log = logging.getLogger("voicecheck.access")
_ACCEPTED = re.compile(rb"[A-Za-z0-9._:-]{1,64}")


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\\]")


def loggable_path(path: str) -> str:
    """``path`` as a log line may hold it: control characters (and lone surrogates) escaped (``\\n``, ``\\x00``).

    Why: the path is decoded before the log sees it, so ``/v1/x%0A2026-11-29 ... ERROR ...`` wrote a
    second, forged line into the log without any API key, and ``%00`` made grep call the log binary
    (an integrator's review). The backslash is escaped too, so an escape in the log is never the client's.
    """
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), path)


def request_id(request: Any) -> str:
    """The id of ``request`` (a Starlette Request), or "-" outside the middleware."""
    return getattr(request.state, "request_id", "-")


class RequestIdMiddleware:
    """Pure ASGI: keep the client's X-Request-ID when it is a sane token, else make one; echo it back."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope.get("headers", ()) if k == HEADER), b"")
        rid = given.decode("ascii") if _ACCEPTED.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid

        started = time.monotonic()
        status = [500]  # what the client got; an exception before any answer is a 500

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = [h for h in message.get("headers", []) if h[0].lower() != HEADER]
                message = {**message, "headers": [*headers, (HEADER, rid.encode("ascii"))]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # uvicorn's own access line has no time, id or duration: a publishing tool's failed request could not
            # be found from its X-Request-ID (an operations review). No query string: it may hold labels.
            if access_log.isEnabledFor(logging.INFO):
                access_log.info("%s %s %d %.0f ms (request %s)", scope.get("method", "-"),
                                loggable_path(scope.get("path", "-")),
                                status[0], 1000 * (time.monotonic() - started), rid)
