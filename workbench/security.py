"""What keeps the workbench safe: loopback only unless accounts exist, sessions in a signed cookie, a CSRF token
bound to the session on every write, a strict Content-Security-Policy (scripts and styles from the app itself,
nothing inline, no eval, requests only to the app's own origin), and a check that a write comes from the app's own
pages (Origin)."""

from __future__ import annotations

import hmac
import ipaddress
import math
import secrets
import threading
import time
from urllib.parse import urlsplit
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


class Throttle:
    """Failed logins per key (a name, a client address): after `free` failures in a row, each further try
    must wait twice as long as the previous one (1 s, 2 s, 4 s ... up to `longest`). A success clears the name's
    count. Kept in memory, at most `keep` keys (the oldest forgotten first)."""

    def __init__(self, free: dict[str, int] | None = None, longest: float = 300, keep: int = 10000):
        self.free = free or {"name": 3, "client": 10}
        self.longest = longest
        self.keep = keep
        self.failed: dict[tuple[str, str], tuple[int, float]] = {}  # key -> (failures, last failure time)
        self.lock = threading.Lock()

    def _wait(self, key: tuple[str, str], now: float) -> float:
        count, last = self.failed.get(key, (0, 0.0))
        over = count - self.free.get(key[0], 3)
        if over < 0:
            return 0.0
        return max(0.0, last + min(self.longest, 2.0 ** over) - now)

    def wait(self, *keys: tuple[str, str]) -> int:
        """Whole seconds until every key may try again (0: now)."""
        now = time.monotonic()
        with self.lock:
            return math.ceil(max((self._wait(k, now) for k in keys), default=0.0))

    def failure(self, *keys: tuple[str, str]) -> None:
        now = time.monotonic()
        with self.lock:
            for key in keys:
                count, _ = self.failed.pop(key, (0, 0.0))
                self.failed[key] = (count + 1, now)
            while len(self.failed) > self.keep:
                self.failed.pop(next(iter(self.failed)))

    def success(self, *keys: tuple[str, str]) -> None:
        with self.lock:
            for key in keys:
                self.failed.pop(key, None)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_ok(session: MutableMapping[str, Any], given: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and given and hmac.compare_digest(str(expected), str(given)))


WILDCARD = ("0.0.0.0", "::")


def machine_names() -> list[str]:
    """This machine's host name, its fully qualified name and the addresses they resolve to."""
    import socket

    names = [socket.gethostname(), socket.getfqdn()]
    for name in list(names):
        try:
            names += [str(info[4][0]) for info in socket.getaddrinfo(name, None)]
        except OSError:  # a name that does not resolve
            continue
    return [n for n in names if n]


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers this server answers to (lower case, `name:port`; also `name` alone on port 80): the
    address it is bound to, the loopback names, and on another address this machine's names and addresses.
    Any other Host is a page of another site reaching this server through DNS rebinding."""
    names = {host, *LOOPBACK}
    if not is_loopback(host):
        names.update(machine_names())
    out = set()
    for name in names:
        shown = f"[{name}]" if ":" in name else name
        out.add(f"{shown}:{port}".lower())
        if port == 80:
            out.add(shown.lower())
    return frozenset(out)


def arrived_at(scope: MutableMapping[str, Any]) -> set[str]:
    """The address a request's connection reached, as a Host header names it (`192.0.2.2:8750`, `[fe80::1]:8750`;
    also without the port on port 80). A server bound to every address answers a request naming the address it
    came in on: an address, unlike a name, cannot be made to point at another site's server (DNS rebinding)."""
    server = scope.get("server")
    if not server or not server[0]:
        return set()
    host, port = str(server[0]).split("%", 1)[0], server[1]  # a link-local address's zone is not in a Host
    shown = f"[{host}]" if ":" in host else host
    return {f"{shown}:{port}".lower(), *([shown.lower()] if port == 80 else [])}


class TrustedHosts:
    """Pure ASGI middleware refusing (400, one line) a request whose Host header is not one of `allowed` (nor, with
    `any_address`, the address the request came in on: arrived_at)."""

    def __init__(self, app: Callable[..., Awaitable[None]], allowed: frozenset[str], shown: str,
                 any_address: bool = False):
        self.app = app
        self.allowed = allowed
        self.shown = shown
        self.any_address = any_address

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
            if host not in self.allowed and not (self.any_address and host in arrived_at(scope)):
                body = (f"400: this workbench answers only at its own address ({self.shown}), not at the "
                        "host this request names; behind a reverse proxy, start it with --public-url "
                        "(the address people open)\n").encode()
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def public_origin(url: str | None) -> tuple[str, str] | None:
    """(origin, host) of the address people open when a reverse proxy serves the workbench (--public-url),
    e.g. ("https://gt.example.org", "gt.example.org"); None when not given or not an http(s) URL."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or "@" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower(), parts.netloc.lower()


def same_origin(headers: Any, origins: frozenset[str]) -> bool:
    """A write's Origin (when the browser sends one) must be this server: one of its own origins, never
    whatever the request's own Host header says."""
    origin = headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return origin.lower() in origins


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this server only."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


__all__ = ["CSP", "SecurityHeaders", "Throttle", "TrustedHosts", "arrived_at", "allowed_hosts", "machine_names",
           "is_loopback",
           "valid_host", "new_token", "token_ok", "same_origin", "safe_next", "WILDCARD",
           "public_origin"]
