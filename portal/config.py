"""Configuration from the environment. Everything a council changes is a setting, not code.

APP_ENV chooses the class: development, test or production (the default, so a deployment that forgets to
say fails safe). Any setting can also be given as PORTAL_<NAME> (values are parsed as JSON when they can be).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("PORTAL_INSTANCE_PATH", ROOT / "instance"))


class ConfigError(RuntimeError):
    pass


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> list[str] | None:
    """A comma-separated setting; None when it is not set."""
    value = os.environ.get(name)
    if not value:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


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
    # Every link in a message is built from this (https in production), never from the request's Host header.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # The host names the app answers to; a request with any other Host header gets a 400. Unset: the host of
    # PUBLIC_BASE_URL.
    TRUSTED_HOSTS: list[str] | None = _list("TRUSTED_HOSTS")
    # How many reverse proxies sit in front of the app and set X-Forwarded-For and X-Forwarded-Proto. 0 (the
    # default) means none: those headers are ignored, so nobody can choose the address that rate limits count.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

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
    # Flask refuses a session cookie signed longer ago than this: never before a staff session's absolute limit.
    PERMANENT_SESSION_LIFETIME = STAFF_SESSION_LIFETIME
    # Where staff sessions are kept on the server so sign-out ends them: "database" or a redis:// URL.
    STAFF_SESSION_STORE = os.environ.get("STAFF_SESSION_STORE", "database")
    STAFF_SESSION_KEY_PREFIX = os.environ.get("STAFF_SESSION_KEY_PREFIX", "portal:")
    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    # Strict-Transport-Security on every response (production default); its own setting, not the cookie's.
    HSTS_ENABLED = _bool("HSTS_ENABLED", True)
    HSTS_MAX_AGE = int(os.environ.get("HSTS_MAX_AGE", str(365 * 24 * 3600)))
    # Wrong passwords or codes before an account is throttled for new devices (ASVS 2.2.1: a throttle, not a ban);
    # each further failure doubles the wait, up to SIGN_IN_THROTTLE_MAX_MINUTES. Known devices are not throttled.
    SIGN_IN_LOCKOUT_THRESHOLD = int(os.environ.get("SIGN_IN_LOCKOUT_THRESHOLD", "5"))
    SIGN_IN_THROTTLE_MAX_MINUTES = int(os.environ.get("SIGN_IN_THROTTLE_MAX_MINUTES", "15"))
    # How long a browser stays a "known device" for the accounts that completed a sign-in on it.
    KNOWN_DEVICE_DAYS = int(os.environ.get("KNOWN_DEVICE_DAYS", "90"))
    # Complaints managers are alerted when failed passwords hit this many accounts within the window.
    SPRAY_ALERT_ACCOUNTS = int(os.environ.get("SPRAY_ALERT_ACCOUNTS", "10"))
    SPRAY_ALERT_WINDOW_MINUTES = int(os.environ.get("SPRAY_ALERT_WINDOW_MINUTES", "60"))
    PASSWORD_MIN_LENGTH = 12

    # Forms
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Rate limits (Redis when REDIS_URL is set, so several processes share counts)
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    # Every request per IP address, unless a route sets its own (static files are not counted). A school or a
    # children's home may send 30 children through from one address in an hour.
    RATELIMIT_DEFAULT = os.environ.get("RATELIMIT_DEFAULT", "3000 per hour;300 per minute")
    # Per IP address, per thing under attack (whatever the address), and globally per form (all addresses).
    RATELIMIT_PUBLIC_SUBMIT = os.environ.get("RATELIMIT_PUBLIC_SUBMIT", "60 per hour;10 per minute")
    RATELIMIT_PUBLIC_SUBMIT_GLOBAL = os.environ.get("RATELIMIT_PUBLIC_SUBMIT_GLOBAL", "1000 per hour")
    RATELIMIT_TRACK = os.environ.get("RATELIMIT_TRACK", "120 per hour;20 per minute")
    RATELIMIT_TRACK_REFERENCE = os.environ.get("RATELIMIT_TRACK_REFERENCE", "3 per 15 minutes;10 per day")
    RATELIMIT_TRACK_GLOBAL = os.environ.get("RATELIMIT_TRACK_GLOBAL", "2000 per hour")
    RATELIMIT_SIGN_IN = os.environ.get("RATELIMIT_SIGN_IN", "10 per minute;50 per hour")
    RATELIMIT_SIGN_IN_ACCOUNT = os.environ.get("RATELIMIT_SIGN_IN_ACCOUNT", "20 per hour")
    RATELIMIT_SIGN_IN_GLOBAL = os.environ.get("RATELIMIT_SIGN_IN_GLOBAL", "1000 per hour")
    RATELIMIT_TWO_FACTOR_ACCOUNT = os.environ.get("RATELIMIT_TWO_FACTOR_ACCOUNT", "10 per hour")
    RATELIMIT_RESET_EMAIL_ACCOUNT = os.environ.get("RATELIMIT_RESET_EMAIL_ACCOUNT", "3 per hour")
    RATELIMIT_CSP_REPORT = os.environ.get("RATELIMIT_CSP_REPORT", "60 per hour;10 per minute")
    RATELIMIT_CSP_REPORT_GLOBAL = os.environ.get("RATELIMIT_CSP_REPORT_GLOBAL", "2000 per hour")

    # Security reporting: CSP violations to /csp-report (logged without personal data) and /.well-known/security.txt
    CSP_REPORTING = _bool("CSP_REPORTING", True)
    SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT") or None  # default: mailto:COUNCIL_EMAIL
    SECURITY_TXT_EXPIRES = os.environ.get("SECURITY_TXT_EXPIRES") or None  # RFC 3339; default: 180 days ahead
    SECURITY_POLICY_URL = os.environ.get("SECURITY_POLICY_URL") or None

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
        _validate_web(config)


def _validate_web(config: dict) -> None:
    """Links, hosts and proxies. Fills TRUSTED_HOSTS from PUBLIC_BASE_URL when it is not set."""
    base = urlsplit(config.get("PUBLIC_BASE_URL") or "")
    if "PUBLIC_BASE_URL" in config and (base.scheme not in {"http", "https"} or not base.hostname):
        raise ConfigError("PUBLIC_BASE_URL must be the site's address, like https://complaints.example.gov.uk")
    if config.get("APP_ENV") == "production" and base.scheme != "https":
        raise ConfigError("PUBLIC_BASE_URL must start with https:// in production: links in messages use it")
    if "PUBLIC_BASE_URL" in config and not config.get("TRUSTED_HOSTS"):
        config["TRUSTED_HOSTS"] = [base.hostname]
    if int(config.get("TRUSTED_PROXY_COUNT") or 0) < 0:
        raise ConfigError("TRUSTED_PROXY_COUNT must be 0 (no proxy) or the number of proxies in front of the app")


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
    HSTS_ENABLED = _bool("HSTS_ENABLED", False)
    TRUSTED_HOSTS = _list("TRUSTED_HOSTS") or ["127.0.0.1", "localhost"]
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
    HSTS_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SMTP_PORT = 0
    PUBLIC_BASE_URL = "http://localhost"
    TRUSTED_HOSTS = ["localhost", "127.0.0.1"]


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": Config}


def config_from_env() -> type[Config]:
    name = os.environ.get("APP_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"APP_ENV must be one of {', '.join(CONFIGS)}") from None
