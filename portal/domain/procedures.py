"""Default procedure profiles. These numbers are seeded into the database, where councils can edit them;
the running system always reads the stored values, never these constants.

Sources: ../shared/DOMAIN.md sections 1.8 (England statutory, SI 2006/1738), 2.1 (LGSCO Complaint Handling Code)
and 3 (SPSO model complaints handling procedure). Items marked [U] there are unverified and are settings here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.domain.enums import Procedure, StageName


@dataclass(frozen=True)
class TimescaleDefault:
    key: str
    label: str
    working_days: int | None = None
    text_value: str | None = None


@dataclass(frozen=True)
class ProfileDefault:
    code: Procedure
    name: str
    honours_closure_days: bool
    stages: tuple[StageName, ...]
    timescales: tuple[TimescaleDefault, ...] = field(default_factory=tuple)


DEFAULT_PROFILES: tuple[ProfileDefault, ...] = (
    ProfileDefault(
        Procedure.ENGLAND_STATUTORY,
        "England statutory children's complaints procedure (Children Act 1989)",
        honours_closure_days=False,
        stages=(StageName.STAGE1, StageName.STAGE2, StageName.STAGE3),
        timescales=(
            TimescaleDefault("acknowledge", "Acknowledge a new complaint within", 3),
            TimescaleDefault("stage1.response", "Stage 1 response within", 10),
            TimescaleDefault("stage1.max", "Stage 1 response at the latest, with an extension", 20),
            TimescaleDefault("stage2.request_window", "Ask for Stage 2 within, after the Stage 1 response", 20),
            TimescaleDefault("stage2.acknowledge", "Acknowledge a Stage 2 request within", 2),
            TimescaleDefault("stage2.response", "Stage 2 response within", 25),
            TimescaleDefault("stage2.max", "Stage 2 response at the latest, with an extension", 65),
            TimescaleDefault(
                "stage2.clock_from",
                "Stage 2 clock runs from ('request' or 'statement_agreed')",
                text_value="request",
            ),
            TimescaleDefault("stage3.request_window", "Ask for Stage 3 within, after the Stage 2 response", 20),
            TimescaleDefault("stage3.panel", "Review panel meets within, after the request", 30),
            TimescaleDefault("stage3.findings", "Panel findings within, after the panel", 5),
            TimescaleDefault("stage3.final_response", "Final response within, after the findings", 15),
        ),
    ),
    ProfileDefault(
        Procedure.LGSCO_CORPORATE,
        "Corporate complaints (Ombudsman's Complaint Handling Code)",
        honours_closure_days=True,
        stages=(StageName.CORPORATE1, StageName.CORPORATE2),
        timescales=(
            TimescaleDefault("acknowledge", "Acknowledge within", 5),
            TimescaleDefault("corporate1.response", "Stage 1 response within, after acknowledgement", 10),
            TimescaleDefault("corporate1.max", "Stage 1 response at the latest, with an extension", 20),
            TimescaleDefault("corporate2.request_window", "Ask for Stage 2 within, after the Stage 1 response", 20),
            TimescaleDefault("corporate2.acknowledge", "Acknowledge a Stage 2 request within", 5),
            TimescaleDefault("corporate2.response", "Stage 2 response within, after acknowledgement", 20),
            TimescaleDefault("corporate2.max", "Stage 2 response at the latest, with an extension", 40),
        ),
    ),
    ProfileDefault(
        Procedure.SCOTLAND_MCHP,
        "Scotland model complaints handling procedure (SPSO)",
        honours_closure_days=True,
        stages=(StageName.FRONTLINE, StageName.INVESTIGATION),
        timescales=(
            TimescaleDefault("acknowledge", "Acknowledge a frontline complaint within", 3),
            TimescaleDefault("frontline.response", "Frontline response within", 5),
            TimescaleDefault("frontline.max", "Frontline response at the latest, with an extension", 10),
            TimescaleDefault("investigation.request_window", "Ask for an investigation within", 40),
            TimescaleDefault("investigation.acknowledge", "Acknowledge an investigation within", 3),
            TimescaleDefault("investigation.response", "Investigation response within", 20),
            TimescaleDefault("investigation.max", "Investigation response at the latest, with an extension", 40),
        ),
    ),
    ProfileDefault(
        Procedure.ADVOCACY,
        "Advocacy service targets",
        honours_closure_days=True,
        stages=(),
        timescales=(
            TimescaleDefault("advocacy.contact", "Contact the young person within", 1),
            TimescaleDefault("advocacy.allocate", "Allocate an advocate within", 2),
        ),
    ),
)


def default_profile(code: Procedure) -> ProfileDefault:
    for profile in DEFAULT_PROFILES:
        if profile.code == code:
            return profile
    raise KeyError(code)


# Default entries for the council's editable lists (DOMAIN.md section 5). Councils rename, add and retire them.
DEFAULT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "theme": (
        "Communication",
        "Staff conduct or attitude",
        "Quality or accuracy of assessment or records",
        "Decision-making",
        "Delay in a service or assessment",
        "Service not provided or not enough support",
        "Sharing of minutes, reports or information",
        "Family time or contact",
        "Money, allowances or funding",
        "Placement (where the child lives)",
        "Change or allocation of worker",
        "Policy or procedure",
        "Complaint handling",
        "Data or confidentiality",
        "Discrimination or equality",
        "Being listened to",
        "Other",
    ),
    "outcome_sought": (
        "Apology",
        "Explanation",
        "Provide a service",
        "Meeting",
        "Change of worker",
        "Review or change a decision",
        "Correct records",
        "Information or documents",
        "Staff training or action",
        "Policy change",
        "Financial remedy",
        "Other",
    ),
    "actual_outcome": (
        "Apology",
        "Explanation",
        "Meeting offered or held",
        "Service provided",
        "Decision reviewed or changed",
        "Change of worker",
        "Record corrected",
        "Information shared",
        "Financial remedy",
        "Time and trouble payment",
        "Policy or practice change",
        "Referral to another service",
        "None",
    ),
    "refusal_reason": (
        "Would prejudice court proceedings",
        "About a decision made by a court",
        "Out of time",
        "Not eligible (no sufficient interest)",
        "Handled under another procedure",
        "Would prejudice criminal or disciplinary proceedings",
        "Already considered under the procedure",
        "Unreasonably persistent (contact plan)",
    ),
    "compliment_source": (
        "Child in care",
        "Child in need",
        "Care leaver",
        "Parent or carer",
        "Adopter",
        "Foster carer",
        "Judge",
        "Children's guardian",
        "Head teacher or school",
        "Police",
        "Health",
        "Community",
        "Internal colleague",
    ),
    "advocacy_help": (
        "Making a complaint",
        "A meeting or review",
        "A decision about me",
        "Child protection conference",
        "Moving home or placement",
        "Leaving care or pathway plan",
        "Family time",
        "Other",
    ),
    "root_cause": (
        "Communication",
        "Service delays",
        "Quality of documented assessments",
        "Staff conduct",
        "Policy issue",
        "IT or system limitation",
        "Staff absence",
        "Process gap",
        "Resources or sufficiency",
    ),
}
