"""Import historic records from the staff area: the same file format and the same checks as
`flask --app wsgi import-cases` (all or nothing, every problem listed with its line and column)."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.domain.access import Action
from portal.services import importer
from staff import bp
from staff.forms.settings import ImportForm
from staff.permissions import requires


@bp.route("/admin/import", methods=["GET", "POST"])
@requires(Action.IMPORT_RECORDS)
def admin_import() -> object:
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors = ["The selected file must be UTF-8 text (save it from your spreadsheet as “CSV UTF-8”)"]
        else:
            result = importer.import_file(
                io.StringIO(text, newline=""), actor_id=current_user.id, source=upload.filename or "upload"
            )
            if result.ok:
                flash(f"Imported {result.imported} records from {upload.filename}.", "success")
                return redirect(url_for("staff.admin_import"))
            form.file.errors = [
                f"The file has {len(result.problems)} problem{'s' if len(result.problems) != 1 else ''}; "
                "nothing was imported. Correct them and upload it again."
            ]
    return render_template(
        "staff/reports/import.html",
        form=form,
        problems=result.problems[: importer.MAX_PROBLEMS_SHOWN] if result else [],
        total_problems=len(result.problems) if result else 0,
    )
