"""Helpers for the report and import tests (H7): build interchange CSV text and import it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from portal.domain.import_format import COLUMNS


def csv_text(rows: Iterable[Mapping[str, object]], columns: Iterable[str] = COLUMNS) -> str:
    columns = list(columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: ("" if row.get(c) is None else row.get(c)) for c in columns})
    return out.getvalue()


def import_rows(rows: Iterable[Mapping[str, object]]):  # type: ignore[no-untyped-def]
    from portal.services import importer

    result = importer.import_text(csv_text(rows))
    assert result.ok, [str(p) for p in result.problems]
    return result
