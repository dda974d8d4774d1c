"""Use-cases of the complaint lifecycle, by job. The rules live in portal.domain.lifecycle; these modules load the
facts, apply the rules, and write the rows, the audit events and the outbox messages in one unit of work.

- records: a stage record's dates, locking and audit (shared by the others);
- stages: open, escalate, withdraw, acknowledge, extend, respond, accept or refuse, close, reopen, complaint points;
- people: Stage 2 people and dates, costs, the Stage 3 review panel;
- redress: alternative dispute resolution, Ombudsman enquiries, remedies;
- learning: the actions promised after a complaint;
- panel: what the case page shows about the procedure, and the actions a role may take now (as codes).

Everything public is importable from ``portal.services.lifecycle``.
"""

from __future__ import annotations

from portal.services.lifecycle.learning import (
    LEARNING_FIELDS,
    save_learning_action,
)
from portal.services.lifecycle.panel import (
    STAGE_STATUS_LABELS,
    CasePanel,
    DeadlineRow,
    PanelAction,
    PanelCode,
    StagePanel,
    case_panel,
)
from portal.services.lifecycle.people import (
    STAGE2_FIELDS,
    add_cost,
    add_panel_member,
    record_panel,
    remove_cost,
    remove_panel_member,
    update_investigation,
)
from portal.services.lifecycle.records import (
    OPEN_LEARNING,
    STAGE_AUDIT_FIELDS,
    actor_label,
    apply_dates,
    audit_stage,
    current_stage,
    escalation_facts,
    lock_case,
    open_learning_actions,
    procedure_profile,
    signpost_text,
    stage_dates,
    stage_facts,
    sync_submission,
)
from portal.services.lifecycle.redress import (
    LGSCO_FIELDS,
    REMEDY_FIELDS,
    add_remedy,
    record_adr,
    save_lgsco_referral,
)
from portal.services.lifecycle.stages import (
    EscalationOption,
    accept_escalation,
    acknowledge,
    add_point,
    check_first_stage,
    check_withdrawal,
    close_case,
    decline_escalation,
    escalation_option,
    extend,
    open_first_stage,
    record_response,
    reopen_case,
    request_escalation,
    set_point_finding,
    withdraw,
)

__all__ = [
    "LEARNING_FIELDS",
    "LGSCO_FIELDS",
    "OPEN_LEARNING",
    "REMEDY_FIELDS",
    "STAGE2_FIELDS",
    "STAGE_AUDIT_FIELDS",
    "STAGE_STATUS_LABELS",
    "CasePanel",
    "DeadlineRow",
    "EscalationOption",
    "PanelAction",
    "PanelCode",
    "StagePanel",
    "accept_escalation",
    "acknowledge",
    "actor_label",
    "add_cost",
    "add_panel_member",
    "add_point",
    "add_remedy",
    "apply_dates",
    "audit_stage",
    "case_panel",
    "check_first_stage",
    "check_withdrawal",
    "close_case",
    "current_stage",
    "decline_escalation",
    "escalation_facts",
    "escalation_option",
    "extend",
    "lock_case",
    "open_first_stage",
    "open_learning_actions",
    "procedure_profile",
    "record_adr",
    "record_panel",
    "record_response",
    "remove_cost",
    "remove_panel_member",
    "reopen_case",
    "request_escalation",
    "save_learning_action",
    "save_lgsco_referral",
    "set_point_finding",
    "signpost_text",
    "stage_dates",
    "stage_facts",
    "sync_submission",
    "update_investigation",
    "withdraw",
]
