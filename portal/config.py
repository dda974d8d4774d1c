"""Configuration from the environment. Everything a council changes is a setting, not code.

APP_ENV chooses the class: development, test or production (the default, so a deployment that forgets to
say fails safe). Any setting can also be given as PORTAL_<NAME> (values are parsed as JSON when they can be).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("PORTAL_INSTANCE_PATH", ROOT / "instance"))


class ConfigError(RuntimeError):
    pass


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Accept the common postgres:// spelling and use psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{INSTANCE / 'portal.db'}"


class Config:
    APP_ENV = "production"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # The council (all shown to the public)
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Example Borough Council")
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Tell us about children's services")
    COUNCIL_PHONE = os.environ.get("COUNCIL_PHONE", "01234 567890")
    COUNCIL_EMAIL = os.environ.get("COUNCIL_EMAIL", "childrens.complaints@example.gov.uk")
    COUNCIL_ADDRESS = os.environ.get(
        "COUNCIL_ADDRESS", "Complaints Team, Civic Centre, High Street, Exampletown EX1 1AA"
    )
    OUT_OF_HOURS_PHONE = os.environ.get("OUT_OF_HOURS_PHONE", "01234 567999")
    CHILDLINE_PHONE = os.environ.get("CHILDLINE_PHONE", "0800 1111")
    ADVOCACY_PROVIDER = os.environ.get("ADVOCACY_PROVIDER", "Coram Voice")
    ADVOCACY_PHONE = os.environ.get("ADVOCACY_PHONE", "0808 800 5792")
    EXIT_PAGE_URL = os.environ.get("EXIT_PAGE_URL", "https://www.bbc.co.uk/weather")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    # Procedure and calendar
    PROCEDURE = os.environ.get("PROCEDURE", "england")  # england | scotland
    BANK_HOLIDAY_DIVISION = os.environ.get("BANK_HOLIDAY_DIVISION", "england-and-wales")
    # Optional cut-off (HH:MM, Europe/London) after which a same-day submission counts as next working day.
    RECEIPT_CUTOFF = os.environ.get("RECEIPT_CUTOFF") or None
    CONSENT_AGE = int(os.environ.get("CONSENT_AGE", "12"))
    OUT_OF_TIME_MONTHS = int(os.environ.get("OUT_OF_TIME_MONTHS", "12"))
    SMALL_NUMBER_THRESHOLD = int(os.environ.get("SMALL_NUMBER_THRESHOLD", "5"))
    SHOW_RESPONDER_NAME_PUBLICLY = _bool("SHOW_RESPONDER_NAME_PUBLICLY", False)
    REMINDER_WORKING_DAYS = int(os.environ.get("REMINDER_WORKING_DAYS", "2"))

    # Public journeys
    DRAFT_LIFETIME = timedelta(days=int(os.environ.get("DRAFT_LIFETIME_DAYS", "28")))
    FREE_TEXT_LIMIT = 5000
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # Staff sessions
    STAFF_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("STAFF_IDLE_TIMEOUT_MINUTES", "30")))
    STAFF_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("STAFF_SESSION_LIFETIME_HOURS", "10")))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)
    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    SIGN_IN_LOCKOUT_THRESHOLD = 5
    PASSWORD_MIN_LENGTH = 12

    # Forms
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Rate limits (Redis when REDIS_URL is set, so several processes share counts)
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_PUBLIC_SUBMIT = os.environ.get("RATELIMIT_PUBLIC_SUBMIT", "20 per hour;5 per minute")
    RATELIMIT_TRACK = os.environ.get("RATELIMIT_TRACK", "10 per hour;3 per minute")
    RATELIMIT_SIGN_IN = os.environ.get("RATELIMIT_SIGN_IN", "10 per minute;50 per hour")

    # Messages
    MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@example.gov.uk")
    SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", False)
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY") or None
    NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID") or None
    NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID") or None
    OUTBOX_MAX_ATTEMPTS = 8
    # A message left "sending" this long (a worker crashed mid-send) is claimed again.
    OUTBOX_STALE_MINUTES = int(os.environ.get("OUTBOX_STALE_MINUTES", "10"))

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    @classmethod
    def validate(cls, config: dict) -> None:
        if not config.get("SECRET_KEY") or len(config["SECRET_KEY"]) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least 32 characters outside development "
                "and test, e.g. SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'). "
                "For local development set APP_ENV=development."
            )
        if config.get("PROCEDURE") not in {"england", "scotland"}:
            raise ConfigError("PROCEDURE must be 'england' or 'scotland'")
        if config.get("BANK_HOLIDAY_DIVISION") not in {"england-and-wales", "scotland", "northern-ireland"}:
            raise ConfigError("BANK_HOLIDAY_DIVISION must be england-and-wales, scotland or northern-ireland")


def _development_secret_key() -> str:
    """Generate a key once and keep it in instance/, so sessions survive restarts during development."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class DevelopmentConfig(Config):
    APP_ENV = "development"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "1025"))

    @classmethod
    def validate(cls, config: dict) -> None:
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = _development_secret_key()
        super().validate(config)


class TestConfig(Config):
    APP_ENV = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
    SQLALCHEMY_DATABASE_URI = (os.environ.get("DATABASE_URL") and _database_url()) or "sqlite://"
    SESSION_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SMTP_PORT = 0
    PUBLIC_BASE_URL = "http://localhost"


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": Config}


def config_from_env() -> type[Config]:
    name = os.environ.get("APP_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"APP_ENV must be one of {', '.join(CONFIGS)}") from None
