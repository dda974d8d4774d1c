"""The domain layer imports nothing from Flask or SQLAlchemy."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = {"flask", "sqlalchemy", "flask_sqlalchemy", "flask_login", "werkzeug", "jinja2"}
DOMAIN = Path(__file__).resolve().parents[2] / "portal" / "domain"


def test_domain_modules_import_no_web_or_database_code():
    offenders = []
    for path in DOMAIN.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in FORBIDDEN or (top == "portal" and not name.startswith("portal.domain")):
                    offenders.append(f"{path.name}: {name}")
    assert not offenders, offenders
