"""Unit tests use no database."""

import pytest


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    for item in items:
        if "/unit/" in str(item.fspath):
            item.add_marker(pytest.mark.no_db)
