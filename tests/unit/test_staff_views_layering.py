"""Staff views do not query the database and do not borrow another view module's private helpers (issue 10 §3).

Views load a record by id with `db.get_or_404` (the house idiom) and get every choice list and figure from a
service. `db.session.rollback()` is left to the unit-of-work work (issue 10 §1), which removes it with its own
test. Any exception must be listed in KNOWN with its reason; the test fails when one is fixed, so the list can only
shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

VIEWS = Path(__file__).resolve().parents[2] / "staff" / "views"
KNOWN: dict[str, str] = {}


def _findings(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{path.name}: imports {m}" for m in modules if m.split(".")[0] == "sqlalchemy"]
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("staff.views."):
            found += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "session"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "db"
            and node.attr != "rollback"
        ):
            found.append(f"{path.name}: db.session.{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr == "select" and isinstance(node.value, ast.Name):
            found.append(f"{path.name}: {node.value.id}.select")
    return found


def test_staff_views_run_no_queries_and_borrow_no_private_helpers() -> None:
    found = sorted({f for path in VIEWS.glob("*.py") for f in _findings(path)})

    assert [f for f in found if f not in KNOWN] == []
    assert sorted(KNOWN) == [f for f in found if f in KNOWN], "an exception was fixed: remove it from KNOWN"
