"""The staff blueprint. Every route needs a signed-in, two-factor-verified user, except the sign-in pages.

View modules live in staff/views/; each is imported here so its routes register on the blueprint.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint

bp = Blueprint("staff", __name__)

from staff import session_guard  # noqa: E402,F401  (registers the before_request guard and user loader)
from staff import views as _views  # noqa: E402

for _module in pkgutil.iter_modules(_views.__path__):
    importlib.import_module(f"staff.views.{_module.name}")
