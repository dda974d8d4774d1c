"""The outbox: messages waiting, being sent or failed, with a retry for staff."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.domain import DomainError
from portal.domain.access import Action
from portal.domain.enums import OutboxStatus
from portal.extensions import db
from portal.models import OutboxMessage
from portal.services import sender
from staff import bp
from staff.forms.casework import RetryForm
from staff.permissions import requires

STATUS_LABELS = {"pending": "Waiting", "sending": "Sending", "sent": "Sent", "failed": "Failed"}


@bp.get("/outbox")
@requires(Action.VIEW_OUTBOX)
def outbox_list() -> str:
    status = request.args.get("status") or None
    if status not in (None, *STATUS_LABELS):
        status = None
    return render_template(
        "staff/outbox/index.html",
        messages=sender.outbox_list(status),
        counts=sender.outbox_counts(),
        status=status,
        status_labels=STATUS_LABELS,
        retry_form=RetryForm(),
    )


@bp.post("/outbox/<int:message_id>/retry")
@requires(Action.VIEW_OUTBOX)
def outbox_retry(message_id: int) -> Response:
    message = db.get_or_404(OutboxMessage, message_id)
    form = RetryForm()
    if not form.validate_on_submit():
        abort(404)
    try:
        sender.retry(message, actor_id=current_user.id)
    except DomainError as exc:
        flash(str(exc))
    else:
        flash("The message will be sent again on the next pass of the worker", "success")
    return redirect(url_for("staff.outbox_list", status=OutboxStatus.FAILED.value))
