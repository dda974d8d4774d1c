"""Where staff sessions live on the server: the database by default, Redis when STAFF_SESSION_STORE says so.

Each signed-in browser gets a random token in its (signed) session cookie. The store keeps the token's SHA-256
with the account it belongs to, when the session began and when it was last used. Every staff request checks it:
a token that is unknown, revoked, bound to another account, idle for longer than STAFF_IDLE_TIMEOUT or older than
STAFF_SESSION_LIFETIME opens nothing. Sign-out deletes the token; a password change, "sign out everywhere", a
role change and deactivation end every session of the account (they also bump the account's session version,
which the user loader checks).

Both stores write in their own short transaction, independent of the request's unit of work, so a check or a
revocation never commits (or rolls back) anything else.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol, cast

import redis
import sqlalchemy as sa
from flask import Flask, current_app

from portal.extensions import db
from portal.models import StaffSession

EXTENSION_KEY = "staff_sessions"
# last_seen is written at most this often, so a busy page does not write on every request.
TOUCH_INTERVAL = timedelta(seconds=60)


class SessionState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"  # idle or absolute timeout: worth telling the person why
    UNKNOWN = "unknown"  # never issued, signed out, revoked, or another account's


@dataclass(frozen=True)
class Limits:
    idle: timedelta
    lifetime: timedelta

    def expired(self, now: datetime, created_at: datetime, last_seen_at: datetime) -> bool:
        return now - last_seen_at > self.idle or now - created_at > self.lifetime


class SessionStore(Protocol):
    def create(self, token_hash: str, user_id: int, now: datetime, limits: Limits) -> None: ...

    def check(self, token_hash: str, user_id: int, now: datetime, limits: Limits) -> SessionState: ...

    def revoke(self, token_hash: str) -> None: ...

    def revoke_user(self, user_id: int) -> None: ...

    def count(self, user_id: int) -> int: ...


class DatabaseStore:
    """The staff_session table, written through its own connection and transaction."""

    table = cast(sa.Table, StaffSession.__table__)

    def create(self, token_hash: str, user_id: int, now: datetime, limits: Limits) -> None:
        t = self.table
        with db.engine.begin() as conn:
            # Housekeeping: sessions past either timeout can never be used again.
            conn.execute(
                t.delete().where(sa.or_(t.c.last_seen_at < now - limits.idle, t.c.created_at < now - limits.lifetime))
            )
            conn.execute(t.insert().values(id=token_hash, user_id=user_id, created_at=now, last_seen_at=now))

    def check(self, token_hash: str, user_id: int, now: datetime, limits: Limits) -> SessionState:
        t = self.table
        with db.engine.begin() as conn:
            row = conn.execute(
                sa.select(t.c.user_id, t.c.created_at, t.c.last_seen_at).where(t.c.id == token_hash)
            ).first()
            if row is None or row.user_id != user_id:
                return SessionState.UNKNOWN
            if limits.expired(now, row.created_at, row.last_seen_at):
                conn.execute(t.delete().where(t.c.id == token_hash))
                return SessionState.EXPIRED
            if now - row.last_seen_at >= TOUCH_INTERVAL:
                conn.execute(t.update().where(t.c.id == token_hash).values(last_seen_at=now))
        return SessionState.ACTIVE

    def revoke(self, token_hash: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(self.table.delete().where(self.table.c.id == token_hash))

    def revoke_user(self, user_id: int) -> None:
        with db.engine.begin() as conn:
            conn.execute(self.table.delete().where(self.table.c.user_id == user_id))

    def count(self, user_id: int) -> int:
        with db.engine.connect() as conn:
            query = sa.select(sa.func.count()).select_from(self.table).where(self.table.c.user_id == user_id)
            return int(conn.scalar(query) or 0)


class RedisStore:
    """One hash per session that expires after the idle timeout (renewed on use, never past the absolute limit),
    and one set per account listing its sessions, so they can all be ended at once."""

    def __init__(self, url: str, prefix: str) -> None:
        self.redis = redis.Redis.from_url(url, decode_responses=True)
        self.prefix = prefix

    def _key(self, token_hash: str) -> str:
        return f"{self.prefix}staff-session:{token_hash}"

    def _user_key(self, user_id: int) -> str:
        return f"{self.prefix}staff-sessions-of:{user_id}"

    def create(self, token_hash: str, user_id: int, now: datetime, limits: Limits) -> None:
        key = self._key(token_hash)
        pipe = self.redis.pipeline()
        pipe.hset(key, mapping={"user_id": user_id, "created_at": now.timestamp(), "last_seen_at": now.timestamp()})
        pipe.expire(key, limits.idle)
        pipe.sadd(self._user_key(user_id), token_hash)
        pipe.expire(self._user_key(user_id), limits.lifetime)
        pipe.execute()

    def check(self, token_hash: str, user_id: int, now: datetime, limits: Limits) -> SessionState:
        key = self._key(token_hash)
        data = self.redis.hgetall(key)
        if not data or int(data["user_id"]) != user_id:
            return SessionState.UNKNOWN
        created_at = datetime.fromtimestamp(float(data["created_at"]), now.tzinfo)
        last_seen_at = datetime.fromtimestamp(float(data["last_seen_at"]), now.tzinfo)
        if limits.expired(now, created_at, last_seen_at):
            self.revoke(token_hash)
            return SessionState.EXPIRED
        if now - last_seen_at >= TOUCH_INTERVAL:
            pipe = self.redis.pipeline()
            pipe.hset(key, "last_seen_at", now.timestamp())
            pipe.expire(key, limits.idle)
            pipe.execute()
        return SessionState.ACTIVE

    def revoke(self, token_hash: str) -> None:
        key = self._key(token_hash)
        user_id = self.redis.hget(key, "user_id")
        pipe = self.redis.pipeline()
        pipe.delete(key)
        if user_id is not None:
            pipe.srem(self._user_key(int(user_id)), token_hash)
        pipe.execute()

    def revoke_user(self, user_id: int) -> None:
        hashes = cast(set[str], self.redis.smembers(self._user_key(user_id)))
        pipe = self.redis.pipeline()
        for token_hash in hashes:
            pipe.delete(self._key(token_hash))
        pipe.delete(self._user_key(user_id))
        pipe.execute()

    def count(self, user_id: int) -> int:
        hashes = cast(set[str], self.redis.smembers(self._user_key(user_id)))
        return sum(1 for h in hashes if self.redis.exists(self._key(h)))


def init_app(app: Flask) -> None:
    setting = str(app.config.get("STAFF_SESSION_STORE") or "database")
    store: SessionStore
    if setting == "database":
        store = DatabaseStore()
    elif setting.startswith(("redis://", "rediss://", "unix://")):
        store = RedisStore(setting, str(app.config.get("STAFF_SESSION_KEY_PREFIX") or ""))
    else:
        raise ValueError("STAFF_SESSION_STORE must be 'database' or a redis:// URL")
    app.extensions[EXTENSION_KEY] = store


def _store() -> SessionStore:
    return current_app.extensions[EXTENSION_KEY]


def _limits() -> Limits:
    cfg = current_app.config
    return Limits(idle=cfg["STAFF_IDLE_TIMEOUT"], lifetime=cfg["STAFF_SESSION_LIFETIME"])


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user_id: int, now: datetime) -> str:
    """A new session for the account; returns the token to keep in the session cookie."""
    token = secrets.token_urlsafe(32)
    _store().create(_hash(token), user_id, now, _limits())
    return token


def check(token: str | None, user_id: int, now: datetime) -> SessionState:
    if not token or not isinstance(token, str):
        return SessionState.UNKNOWN
    return _store().check(_hash(token), user_id, now, _limits())


def end(token: str | None) -> None:
    if token and isinstance(token, str):
        _store().revoke(_hash(token))


def end_all(user_id: int) -> None:
    _store().revoke_user(user_id)


def count(user_id: int) -> int:
    """How many live sessions the account has (for the tests and the account page)."""
    return _store().count(user_id)
