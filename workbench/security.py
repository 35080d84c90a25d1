"""What keeps the workbench safe: loopback only unless accounts exist, sessions in a signed cookie, a CSRF token
bound to the session on every write, a strict Content-Security-Policy (scripts and styles from the app itself,
nothing inline, no eval, requests only to the app's own origin), and a check that a write comes from the app's own
pages (Origin)."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import MutableHeaders

# `img-src data:` is for vis-network's canvas exports; nothing else may load from anywhere but the app.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine's own loopback address, the only one served without accounts. Other 127.x
    addresses count as not loopback: the rule is simple to state, and a forwarded or shared address never slips
    through as "local"."""
    return host in LOOPBACK


def valid_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every response (and no-store on pages)."""

    def __init__(self, app: Callable[..., Awaitable[None]]):
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope.get("path", "").startswith("/static/")

        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in HEADERS.items():
                    headers[k] = v
                headers["cache-control"] = "private, max-age=3600" if static else "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_ok(session: MutableMapping[str, Any], given: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and given and hmac.compare_digest(str(expected), str(given)))


def same_origin(headers: Any, host_header: str | None) -> bool:
    """A write's Origin (when the browser sends one) must be this server."""
    origin = headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return origin.split("://", 1)[-1] == (host_header or "")


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this server only."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


__all__ = ["CSP", "SecurityHeaders", "is_loopback", "valid_host", "new_token", "token_ok", "same_origin",
           "safe_next"]
