"""Advocacy requests, by task:

- records: targets, references and the request of a submission (shared by the others);
- requests: taking a request (from a complaint, the public journey or staff) and correcting its details;
- work: the advocacy service's work on a request: allocate, contact, start, close, reopen, link to a complaint;
- queue: the advocacy queue and its summary;
- page: what the request page shows, with its history.

Everything public is importable from ``portal.services.advocacy``.
"""

from __future__ import annotations

from portal.services.advocacy.page import (
    HISTORY_LABELS,
    HistoryEntry,
    RequestView,
    request_view,
)
from portal.services.advocacy.queue import (
    QueueFilters,
    QueuePage,
    QueueRow,
    QueueSummary,
    deadline_for,
    queue_page,
    queue_summary,
)
from portal.services.advocacy.records import (
    AUDIT_FIELDS,
    MAKING_A_COMPLAINT,
    Targets,
    free_reference,
    request_for_complaint,
    request_of,
    sync_next_due,
    targets_from,
)
from portal.services.advocacy.requests import (
    ManualRequest,
    RequestDetails,
    RequestUpdate,
    attach_request,
    check_details,
    create_for_complaint,
    help_choices,
    record_request,
    update_request,
)
from portal.services.advocacy.work import (
    action_allowed,
    advocate_choices,
    allocate,
    close,
    link_complaint,
    record_contact,
    reopen,
    start_work,
    unlink_complaint,
)

__all__ = [
    "AUDIT_FIELDS",
    "HISTORY_LABELS",
    "MAKING_A_COMPLAINT",
    "HistoryEntry",
    "ManualRequest",
    "QueueFilters",
    "QueuePage",
    "QueueRow",
    "QueueSummary",
    "RequestDetails",
    "RequestUpdate",
    "RequestView",
    "Targets",
    "action_allowed",
    "advocate_choices",
    "allocate",
    "attach_request",
    "check_details",
    "close",
    "create_for_complaint",
    "deadline_for",
    "free_reference",
    "help_choices",
    "link_complaint",
    "queue_page",
    "queue_summary",
    "record_contact",
    "record_request",
    "reopen",
    "request_for_complaint",
    "request_of",
    "request_view",
    "start_work",
    "sync_next_due",
    "targets_from",
    "unlink_complaint",
    "update_request",
]
