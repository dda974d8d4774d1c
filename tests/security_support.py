"""Helpers for the security tests: a second app on the test database with other settings (rate limits on, a
proxy, another store), and the shared limiter put back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, request_started


@contextmanager
def app_with(database_url: str, **settings: Any) -> Iterator[Flask]:
    from portal import create_app
    from portal.config import TestConfig
    from portal.extensions import limiter
    from tests.conftest import _fresh_request_globals

    before = limiter.enabled
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SERVER_NAME=None, **settings)
    request_started.connect(_fresh_request_globals, app)
    if limiter.enabled:
        limiter.reset()
    try:
        yield app
    finally:
        if limiter.enabled:
            limiter.reset()
        limiter.enabled = before


def from_address(number: int) -> dict[str, Any]:
    """Request options for a client behind one trusted proxy, each number a different address."""
    return {"headers": {"X-Forwarded-For": f"198.51.100.{number % 250 + 1}"}}
