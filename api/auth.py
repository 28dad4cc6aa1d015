"""API keys: ``Authorization: Bearer <key>`` on every ``/v1`` route when keys are configured.

Enforced by an ASGI middleware, before the body is read or parsed, so a request
without a valid key is refused with 401 whatever it carries and changes nothing.
Keys are compared in constant time against every configured key, and never logged.
"""

from __future__ import annotations

import hmac
import json

from fastapi.security import HTTPBearer

from .errors import error_body

__all__ = ["ApiKeyMiddleware", "bearer_scheme", "key_is_valid"]

#: Documents the scheme in the OpenAPI schema (the middleware does the checking).
bearer_scheme = HTTPBearer(auto_error=False, description="API key, when the service has keys configured")

PROTECTED_PREFIX = "/v1"


def key_is_valid(header: str | None, keys: tuple[str, ...]) -> bool:
    """Whether an Authorization header carries one of ``keys`` (every key is compared)."""
    if not header:
        return False
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    given = token.strip().encode("utf-8", "surrogateescape")
    ok = False
    for key in keys:
        ok |= hmac.compare_digest(given, key.encode("utf-8"))
    return ok


class ApiKeyMiddleware:
    """Refuse ``/v1`` requests without a valid key (401 JSON)."""

    def __init__(self, app, keys: tuple[str, ...]) -> None:
        self.app = app
        self.keys = tuple(keys)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.keys or not _protected(scope.get("path", "")):
            return await self.app(scope, receive, send)
        header = None
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                header = value.decode("latin-1")
                break
        if key_is_valid(header, self.keys):
            return await self.app(scope, receive, send)
        body = json.dumps(error_body("unauthorized", "a valid API key is required: "
                                     "send 'Authorization: Bearer <key>'"),
                          separators=(",", ":")).encode()
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"www-authenticate", b"Bearer")]})
        await send({"type": "http.response.body", "body": body})


def _protected(path: str) -> bool:
    return path == PROTECTED_PREFIX or path.startswith(PROTECTED_PREFIX + "/")
