"""Flask extensions, created unbound and initialised in the app factory."""

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from portal.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()


def _default_limit() -> str:
    """RATELIMIT_DEFAULT of the app serving the request (read per request, so every app's setting counts)."""
    return str(current_app.config["RATELIMIT_DEFAULT"])


def _is_static() -> bool:
    return request.endpoint == "static"


# No X-RateLimit-* or Retry-After headers: they tell an attacker exactly how fast to go.
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=[_default_limit],
    default_limits_exempt_when=_is_static,
    headers_enabled=False,
)
