"""Structured, personal-data-free logging with a request id on every line."""

from __future__ import annotations

import logging
import logging.config
import uuid

from flask import Flask, g, has_request_context, request


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def configure_logging(app: Flask) -> None:
    if app.config.get("TESTING"):
        return
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"request_id": {"()": RequestIdFilter}},
            "formatters": {
                "kv": {
                    "format": "%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s %(message)s"
                }
            },
            "handlers": {
                "stderr": {"class": "logging.StreamHandler", "formatter": "kv", "filters": ["request_id"]},
            },
            "root": {"level": app.config.get("LOG_LEVEL", "INFO"), "handlers": ["stderr"]},
            # Werkzeug's access log prints full URLs; journey URLs carry no personal data by design.
            "loggers": {"werkzeug": {"level": "INFO"}, "alembic": {"level": "WARNING"}},
        }
    )

    @app.before_request
    def _request_id() -> None:
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming[:40] if incoming.isalnum() else uuid.uuid4().hex
