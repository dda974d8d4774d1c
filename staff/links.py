"""Where the action codes that services return lead: the staff pages for each code, as links for templates.

Services say *what* a user may do (``portal.services.lifecycle.PanelCode``); only the web layer knows the URLs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import url_for

from portal.services.lifecycle import PanelAction, PanelCode

LIFECYCLE_ENDPOINTS: dict[PanelCode, str] = {
    PanelCode.ACKNOWLEDGE: "staff.lifecycle_acknowledge",
    PanelCode.ACCEPT: "staff.lifecycle_accept",
    PanelCode.DECLINE: "staff.lifecycle_decline",
    PanelCode.POINTS: "staff.lifecycle_points",
    PanelCode.EXTEND: "staff.lifecycle_extend",
    PanelCode.RESPOND: "staff.lifecycle_respond",
    PanelCode.INVESTIGATION: "staff.lifecycle_investigation",
    PanelCode.PANEL: "staff.lifecycle_panel",
    PanelCode.COSTS: "staff.lifecycle_costs",
    PanelCode.ESCALATE: "staff.lifecycle_escalate",
    PanelCode.CLOSE: "staff.lifecycle_close",
    PanelCode.LEARNING: "staff.learning_new",
    PanelCode.ADR: "staff.lifecycle_adr",
    PanelCode.REMEDY: "staff.lifecycle_remedy",
    PanelCode.LGSCO: "staff.lifecycle_lgsco",
    PanelCode.REOPEN: "staff.lifecycle_reopen",
    PanelCode.WITHDRAW: "staff.lifecycle_withdraw",
}


@dataclass(frozen=True)
class ActionLink:
    code: str
    text: str
    href: str
    warning: bool = False


def lifecycle_links(case_id: int, actions: Iterable[PanelAction]) -> list[ActionLink]:
    """Links for the case panel's actions. Actions on a stage link to that stage's page."""
    links = []
    for action in actions:
        endpoint = LIFECYCLE_ENDPOINTS[action.code]
        if action.stage_id is not None:
            href = url_for(endpoint, case_id=case_id, stage_id=action.stage_id)
        else:
            href = url_for(endpoint, case_id=case_id)
        links.append(ActionLink(action.code, action.label, href, action.warning))
    return links
