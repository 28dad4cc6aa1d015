"""Body size limit: 413 from the declared Content-Length, and again from the bytes actually sent.

Checked in an ASGI middleware so an oversized body is refused before anything
parses it; a body that lies about (or omits) its length is cut off at the limit.
"""

from __future__ import annotations

import json

from .errors import error_body

__all__ = ["BodyLimitMiddleware"]


class BodyLimitMiddleware:
    """Refuse request bodies larger than ``max_bytes`` with a JSON 413."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = int(max_bytes)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return await self._refuse(send, 400, "bad_request", "Content-Length is not a number")
                if declared > self.max_bytes:
                    return await self._refuse(send, 413, *self._too_large(declared))
                break
        # Read the body here, counting, and hand it on whole: nothing downstream sees a partial body.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await self._refuse(send, 413, *self._too_large(None))
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    def _too_large(self, declared: int | None) -> tuple[str, str]:
        size = f"{declared:,} bytes" if declared is not None else "larger than the limit"
        return "body_too_large", f"request body is {size}; the limit is {self.max_bytes:,} bytes"

    @staticmethod
    async def _refuse(send, status: int, code: str, message: str) -> None:
        body = json.dumps(error_body(code, message), separators=(",", ":")).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
