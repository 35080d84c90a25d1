"""Accounts (name, role, argon2 password hash), the workbench's sessions and session secret, watches and visits.

Roles: `viewer` reads; `investigator` reads, triages, and works cases and watches. A password is never stored,
only its argon2id hash (argon2-cffi's defaults)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from ..errors import GovtiesError
from ..graph.workspace import Cond, WorkspaceConflict

ROLES = ("viewer", "investigator")
NAME = re.compile(r"[\w.@-]{1,64}")
MIN_PASSWORD = 8


class AccountError(GovtiesError):
    """An account cannot be made or changed as asked."""


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def password_version(hashed: str) -> str:
    """A digest of a password hash (argon2 salts each hash: every new password gives a new one)."""
    return hashlib.sha256(hashed.encode("utf-8")).hexdigest()[:16]


SESSION_DAYS = 30  # the longest a session lives, however often its cookie is renewed (each page view renews it)


def _session_key(token: str) -> str:
    """What the workspace keeps of a session's token: its digest (a copy of the store gives no live session)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or ""):
        raise AccountError(f"user name {name!r}: use 1 to 64 letters, digits, '.', '_', '@' or '-'")
    return name


class Accounts:
    """Mixin of api.workspace.Workspace."""

    store: Any

    # -- accounts --------------------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str, *, by: str = "govties") -> None:
        check_name(name)
        if role not in ROLES:
            raise AccountError(f"role {role!r}: choose {' or '.join(ROLES)}")
        if len(password or "") < MIN_PASSWORD:
            raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
        at = self.now()  # type: ignore[attr-defined]
        try:
            with self.store.transaction():
                if self.store.one("user", name=name):
                    raise AccountError(f"user {name!r} exists: `govties users passwd {name}` sets a new password")
                self.store.insert("user", [{"name": name, "role": role, "hash": _hasher().hash(password),
                                            "created_at": at}])
                self.store.insert("event", [self.event(by, "account", name, "role", None, role, at=at)])  # type: ignore
        except WorkspaceConflict:
            raise AccountError(f"user {name!r} exists") from None

    def set_password(self, name: str, password: str, *, by: str = "govties") -> None:
        if len(password or "") < MIN_PASSWORD:
            raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
        if not self.store.update("user", [Cond("name", "eq", name)], {"hash": _hasher().hash(password)}):
            raise AccountError(f"no user {name!r}: `govties users add {name} --role investigator` makes one")
        self._end_sessions_of(name)  # a new password ends the account's sessions
        self.store.insert("event", [self.event(by, "account", name, "password", None, "changed")])  # type: ignore

    def remove_user(self, name: str, *, by: str = "govties") -> None:
        if not self.store.delete("user", [Cond("name", "eq", name)]):
            raise AccountError(f"no user {name!r}")
        self._end_sessions_of(name)
        self.store.insert("event", [self.event(by, "account", name, "removed", name, None)])  # type: ignore

    def users(self) -> list[dict[str, Any]]:
        return [{k: u[k] for k in ("name", "role", "created_at")}
                for u in self.store.select("user", order=[("name", False)])]

    def account(self, name: str) -> dict[str, Any] | None:
        """An account's name, role and password version (see password_version), or None."""
        user = self.store.one("user", name=name) if NAME.fullmatch(name or "") else None
        return {"name": user["name"], "role": user["role"], "pw": password_version(user["hash"])} if user else None

    def has_accounts(self) -> bool:
        return self.store.count("user") > 0

    def verify(self, name: str, password: str) -> dict[str, Any] | None:
        """The account when the password is right, else None (an unknown name costs as much time as a wrong
        password, so names cannot be probed by timing)."""
        from argon2.exceptions import VerificationError, InvalidHashError

        user = self.store.one("user", name=name) if NAME.fullmatch(name or "") else None
        hasher = _hasher()
        try:
            hasher.verify(user["hash"] if user else _DUMMY_HASH.get(), password or "")
        except (VerificationError, InvalidHashError):
            return None
        return {"name": user["name"], "role": user["role"]} if user else None

    def password_version(self, name: str) -> str | None:
        """What changes whenever the account's password is set (a digest of its salted hash): a session keeps
        it, and ends when it no longer matches."""
        user = self.store.one("user", name=name) if NAME.fullmatch(name or "") else None
        return password_version(user["hash"]) if user else None

    # -- sessions ------------------------------------------------------------------------------------------
    def start_session(self, name: str) -> str:
        """A new session of the account `name`: the random token its cookie carries (only its digest is kept, and
        only while the session lives). Sessions started more than SESSION_DAYS ago are forgotten then."""
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=SESSION_DAYS)
        self.store.delete("login", [Cond("started", "le", since.isoformat(timespec="microseconds"))])
        token = secrets.token_urlsafe(32)
        self.store.insert("login", [{"sid": _session_key(token), "user": name, "started": self.now()}])  # type: ignore
        return token

    def session_live(self, token: Any, name: str) -> bool:
        """Whether `token` is a session of `name` that was started and has not ended (logged out)."""
        if not isinstance(token, str) or not token:
            return False
        row = self.store.one("login", sid=_session_key(token))
        return bool(row and row["user"] == name)

    def end_session(self, token: Any) -> None:
        """Log a session out: its cookie, even a copy of it, is no session from now on."""
        if isinstance(token, str) and token:
            self.store.delete("login", [Cond("sid", "eq", _session_key(token))])

    def _end_sessions_of(self, name: str) -> None:
        self.store.delete("login", [Cond("user", "eq", name)])

    def secret(self) -> str:
        """The key that signs the workbench's session cookies: made once, kept in the workspace (every serve
        process of one graph shares it)."""
        row = self.store.one("meta", key="session_secret")
        if row:
            return row["value"]
        try:
            self.store.insert("meta", [{"key": "session_secret", "value": secrets.token_hex(32)}])
        except WorkspaceConflict:  # another process made it first
            pass
        return self.store.one("meta", key="session_secret")["value"]

    # -- watches and what each user has read -------------------------------------------------------------------
    def watch(self, user: str, entity_id: str) -> None:
        if self.store.count("watch", [Cond("user", "eq", user), Cond("entity_id", "eq", entity_id)]):
            return
        at = self.now()  # type: ignore[attr-defined]
        self.store.insert("watch", [{"user": user, "entity_id": entity_id, "at": at}])
        self.store.insert("event", [self.event(user, "watch", entity_id, "watch", None, "on", at=at)])  # type: ignore

    def unwatch(self, user: str, entity_id: str) -> None:
        if self.store.delete("watch", [Cond("user", "eq", user), Cond("entity_id", "eq", entity_id)]):
            self.store.insert("event", [self.event(user, "watch", entity_id, "watch", "on", None)])  # type: ignore

    def watches(self, user: str) -> list[str]:
        return [r["entity_id"] for r in self.store.select("watch", [Cond("user", "eq", user)],
                                                          order=[("at", False)])]

    def since(self, user: str) -> str | None:
        """The time `user`'s "what's new" counts from: when they last marked it read (mark_seen), in any session;
        a finding recorded after it stays new until they do. On their first page view ever that view is taken as
        the mark (table `visit`: each user's mark), and None returned: a first visit, nothing counted as new yet."""
        mark = self.store.one("visit", user=user)
        if mark is not None:
            return mark["at"]
        self.mark_seen(user)
        return None

    def mark_seen(self, user: str, until: str | None = None) -> str:
        """`user` has read what is new up to `until` (the time the page they read was made; default now): only
        what a sweep records after it is new from then on (a sweep recorded while they read stays new)."""
        now = self.now()  # type: ignore[attr-defined]
        at = until if until is not None and until <= now else now
        self.store.upsert("visit", [{"user": user, "at": at}])
        return at


class _Dummy:
    """A hash to verify against when the name is unknown (made once, lazily: hashing takes a moment)."""

    def __init__(self):
        self.value: str | None = None

    def get(self) -> str:
        if self.value is None:
            self.value = _hasher().hash(secrets.token_hex(16))
        return self.value


_DUMMY_HASH = _Dummy()

__all__ = ["Accounts", "AccountError", "ROLES", "check_name"]
