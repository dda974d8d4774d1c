"""Synthetic, realistic demo data for `make run` (`flask --app wsgi demo-data --if-empty`).

Deterministic for a given day: a seeded random generator, and dates counted back from today (portal.services.clock).
The last twelve months of history go in through the importer, as interchange rows; what is happening now goes in
through the services the rest of the portal uses (public submissions, compliments, advocacy requests, learning
actions and staff accounts). Every name, email and phone number is invented.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from portal.domain.enums import (
    Audience,
    CareStatus,
    Channel,
    LearningCategory,
    LearningStatus,
    PersonType,
    Role,
    SubmissionKind,
)
from portal.domain.import_format import COLUMNS
from portal.domain.procedures import DEFAULT_CATEGORIES
from portal.extensions import db
from portal.models import Category, StaffUser, StageRecord, Submission, Team
from portal.services import advocacy, clock, compliments, importer, users
from portal.services.calendar import calendar_for
from portal.services.lifecycle import save_learning_action
from portal.services.reference_data import ensure_reference_data
from portal.services.submissions import NewSubmission, create_submission

SEED = 20171
DEMO_PASSWORD = "harbour-lantern-orchard-7391"
AREAS: dict[str, tuple[str, ...]] = {
    "Area Child Protection Service": ("ACPS East", "ACPS West", "ACPS North"),
    "Children in Care": ("Children in Care North", "Children in Care South"),
    "Leaving Care": ("Care Leavers Team",),
    "Fostering and Adoption": ("Fostering Team", "Adoption Team"),
    "Children with Disabilities": ("Children with Disabilities Team",),
    "Early Help": ("Early Help Hub",),
}
ACCOUNTS = (
    (Role.COMPLAINTS_MANAGER, "demo.manager@example.gov.uk", "Morgan Hale", "Customer Experience Manager", ()),
    (Role.COMPLAINTS_OFFICER, "demo.officer@example.gov.uk", "Priya Dunmore", "Complaints Officer", ()),
    (Role.RESPONDING_MANAGER, "demo.responder@example.gov.uk", "Tom Ashcroft", "Team Manager", ("ACPS East",)),
    (Role.ADVOCATE, "demo.advocate@example.gov.uk", "Jess Okafor", "Children's Advocate", ()),
    (Role.REPORT_VIEWER, "demo.reports@example.gov.uk", "Alex Whitlow", "Performance Analyst", ()),
    (Role.ADMINISTRATOR, "demo.admin@example.gov.uk", "Sam Petrie", "Systems Administrator", ()),
)
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    email: str
    password: str
    totp_secret: str


@dataclass
class DemoResult:
    created: bool
    records: int = 0
    accounts: tuple[DemoAccount, ...] = ()


def has_data() -> bool:
    return bool(
        db.session.scalar(sa.select(sa.exists().where(Submission.id.is_not(None))))
        or db.session.scalar(sa.select(sa.exists().where(StaffUser.id.is_not(None))))
    )


def _weighted(rng: random.Random, options: dict[Any, int]) -> Any:
    return rng.choices(list(options), weights=list(options.values()))[0]


CHANNELS = {"email": 35, "telephone": 30, "online_form": 20, "letter": 8, "in_person": 5, "other": 2}
YP_CHANNELS = {"advocate": 35, "telephone": 20, "app": 15, "text_message": 10, "feedback_form": 10, "email": 10}
PERSON_TYPES = {"parent": 60, "grandparent": 6, "carer": 9, "relative": 4, "professional": 6, "advocate": 2, "other": 1}
CLASSIFICATIONS = {
    "statutory": 60,
    "representation": 8,
    "withdrawn": 10,
    "corporate": 8,
    "case_concern": 6,
    "pre_complaint": 3,
    "refused": 5,
}


class _History:
    """Builds the demo history with one seeded random sequence (the order of the draws is the data)."""

    def __init__(self, today: date, seed: int) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.calendar = calendar_for(None)
        start = today - timedelta(days=365)
        self.days = [start + timedelta(days=n) for n in range(365)]
        self.working = [d for d in self.days if self.calendar.is_working_day(d)]
        self.teams = [(area, team) for area, names in AREAS.items() for team in names]
        self.people = [f"DEMO-P{n:04d}" for n in range(260)]
        self.stage2_budget = {"accepted": 4, "declined": 2}
        self.stage3_done = False
        self.lgsco = 0

    def wd(self, d: date, n: int) -> date:
        return self.calendar.add_working_days(d, n)

    def complaint(self, n: int) -> dict[str, str]:
        rng = self.rng
        received = rng.choice(self.working)
        area, team = rng.choice(self.teams)
        young = rng.random() < 0.12
        person_type = "child_or_young_person" if young else _weighted(rng, PERSON_TYPES)
        # a few people get in touch again and again (repeat complainants)
        people = self.people
        person = people[min(int(rng.paretovariate(1.6)) - 1, 40)] if rng.random() < 0.35 else rng.choice(people)
        row: dict[str, str] = {
            "reference": f"HIST-{n + 1:05d}",
            "kind": "complaint",
            "received_on": received.isoformat(),
            "channel": _weighted(rng, YP_CHANNELS if young else CHANNELS),
            "person_id": person,
            "person_type": person_type,
            "care_status": rng.choice(["child_in_care", "leaving_care", "care_leaver", "child_protection"])
            if young or rng.random() < 0.3
            else "",
            "service_area": area,
            "team": team,
        }
        classification = _weighted(rng, CLASSIFICATIONS)
        row["classification"] = classification
        if classification == "refused":
            row["refusal_reason"] = rng.choice(DEFAULT_CATEGORIES["refusal_reason"])
            row["closed_on"] = min(self.wd(received, rng.randint(2, 8)), self.today).isoformat()
        elif classification == "withdrawn":
            row["closed_on"] = min(received + timedelta(days=rng.randint(1, 20)), self.today).isoformat()
        elif classification in ("statutory", "corporate"):
            self.procedure(row, classification, received)
        elif classification in ("representation", "case_concern"):
            closed = min(self.wd(received, rng.randint(3, 12)), self.today - timedelta(days=1)).isoformat()
            row["closed_on"] = "" if closed < row["received_on"] else closed
        return row

    def procedure(self, row: dict[str, str], classification: str, received: date) -> None:
        rng = self.rng
        row["themes"] = ";".join(rng.sample(DEFAULT_CATEGORIES["theme"][:-1], rng.choice([1, 1, 1, 2])))
        row["outcomes_sought"] = ";".join(rng.sample(DEFAULT_CATEGORIES["outcome_sought"][:-1], rng.choice([1, 1, 2])))
        band = rng.random()
        taken = rng.randint(3, 10) if band < 0.55 else rng.randint(11, 20) if band < 0.85 else rng.randint(21, 32)
        responded = self.wd(received, taken)
        if responded >= self.today:
            return
        outcome = _weighted(rng, {"upheld": 20, "partially_upheld": 27, "not_upheld": 53})
        row.update(
            stage1_responded_on=responded.isoformat(),
            stage1_outcome=outcome,
            stage1_extended="yes" if taken > 10 and rng.random() < 0.7 else "",
            actual_outcomes=";".join(rng.sample(DEFAULT_CATEGORIES["actual_outcome"][:-1], rng.choice([1, 2]))),
            closed_on=responded.isoformat(),
        )
        if rng.random() < 0.12:
            row["adr_hours"] = str(Decimal(rng.randint(2, 12)) / 2)
        old_enough = (self.today - responded).days > 120
        budget = self.stage2_budget
        if classification == "statutory" and old_enough and (budget["accepted"] or budget["declined"]):
            self.stage2(row, responded)

    def stage2(self, row: dict[str, str], responded: date) -> None:
        rng = self.rng
        requested = self.wd(responded, rng.randint(3, 15))
        decision = "accepted" if self.stage2_budget["accepted"] else "declined"
        self.stage2_budget[decision] -= 1
        row.update(stage2_requested_on=requested.isoformat(), stage2_decision=decision, closed_on="")
        if decision == "declined":
            row["closed_on"] = requested.isoformat()
            if self.lgsco == 0:
                row.update(lgsco_referred_on=(requested + timedelta(days=30)).isoformat(), lgsco_decision="premature")
                self.lgsco += 1
            return
        started = self.wd(requested, rng.randint(5, 12))
        row["stage2_started_on"] = started.isoformat()
        done = self.wd(started, rng.choice([22, 38, 55, 70]))
        if done >= self.today:
            row["stage2_cost"] = ""
            return
        row.update(
            stage2_responded_on=done.isoformat(),
            stage2_outcome=rng.choice(["upheld", "partially_upheld", "not_upheld"]),
            stage2_cost=f"{Decimal(rng.randint(250000, 700000)) / 100:.2f}",
            closed_on=done.isoformat(),
        )
        asked = self.wd(done, 10)
        if not self.stage3_done and self.wd(asked, 50) < self.today:
            self.stage3_done = True
            self.stage3(row, asked)

    def stage3(self, row: dict[str, str], asked: date) -> None:
        answered = self.wd(asked, 45)
        referred = answered + timedelta(days=40)
        row.update(
            stage3_requested_on=asked.isoformat(),
            stage3_panel_on=self.wd(asked, 25).isoformat(),
            stage3_responded_on=answered.isoformat(),
            stage3_outcome="partially_upheld",
            closed_on=answered.isoformat(),
            lgsco_referred_on=referred.isoformat() if referred < self.today else "",
            lgsco_decision="no_fault" if referred < self.today else "",
        )

    def compliment(self, n: int) -> dict[str, str]:
        rng = self.rng
        area, team = rng.choice(self.teams)
        source = rng.choice(DEFAULT_CATEGORIES["compliment_source"])
        return {
            "reference": f"HCOMP-{n + 1:04d}",
            "kind": "compliment",
            "received_on": rng.choice(self.days[:-1]).isoformat(),
            "channel": _weighted(rng, {"email": 50, "letter": 20, "feedback_form": 20, "telephone": 10}),
            "service_area": area,
            "team": team,
            "compliment_source": source,
            "compliment_internal": "yes" if source == "Internal colleague" else "no",
        }

    def advocacy_request(self, n: int) -> dict[str, str]:
        rng = self.rng
        received = rng.choice(self.days[:-30])
        return {
            "reference": f"HADV-{n + 1:04d}",
            "kind": "advocacy",
            "received_on": received.isoformat(),
            "channel": _weighted(rng, {"telephone": 40, "online_form": 30, "email": 30}),
            "person_type": "child_or_young_person",
            "care_status": rng.choice(["child_in_care", "leaving_care", "care_leaver"]),
            "closed_on": (received + timedelta(days=rng.randint(10, 28))).isoformat(),
        }


def history_rows(today: date, seed: int = SEED) -> list[dict[str, str]]:
    """Twelve months of complaints, compliments and advocacy requests as interchange rows."""
    history = _History(today, seed)
    rows = [history.complaint(n) for n in range(320)]
    rows += [history.compliment(n) for n in range(80)]
    rows += [history.advocacy_request(n) for n in range(24)]
    rows.sort(key=lambda r: (r["received_on"], r["reference"]))
    return rows


def _secret(rng: random.Random) -> str:
    return "".join(rng.choice(BASE32) for _ in range(32))


def _accounts(rng: random.Random) -> tuple[DemoAccount, ...]:

    made = []
    for role, email, name, title, team_names in ACCOUNTS:
        secret = _secret(rng)
        teams = list(db.session.scalars(sa.select(Team).where(Team.name.in_(team_names)))) if team_names else []
        users.create_user(
            email=email,
            full_name=name,
            role=role,
            password=DEMO_PASSWORD,
            teams=teams,
            totp_secret=secret,
            job_title=title,
        )
        made.append(DemoAccount(role, email, DEMO_PASSWORD, secret))
    return tuple(made)


def _team_id(name: str) -> int:
    return db.session.execute(sa.select(Team.id).where(Team.name == name)).scalar_one()


def _live_submissions(today: date) -> int:
    """New contacts arriving through the public service today and in the last few days (untriaged)."""

    now = clock.now_utc()
    theme = db.session.scalar(sa.select(Category.id).where(Category.kind == "theme", Category.label == "Communication"))
    new = [
        NewSubmission(
            kind=SubmissionKind.COMPLAINT,
            audience=Audience.ADULT,
            channel=Channel.ONLINE_FORM,
            full_name="Dana Fictional",
            email="dana.fictional@example.com",
            person_type=PersonType.PARENT,
            child_name="Riley Fictional",
            care_status=CareStatus.CHILD_IN_NEED,
            team_id=_team_id("ACPS West"),
            what_happened="Our social worker has changed three times since the summer and nobody told us.",
            outcome_wanted="A named worker who stays, and an explanation.",
            theme_ids=[theme] if theme else [],
            contact_methods=["email"],
        ),
        NewSubmission(
            kind=SubmissionKind.COMPLAINT,
            audience=Audience.YOUNG_PERSON,
            channel=Channel.ONLINE_FORM,
            full_name="Jordan Example",
            phone="07700 900123",
            person_type=PersonType.CHILD_OR_YOUNG_PERSON,
            care_status=CareStatus.CHILD_IN_CARE,
            team_id=_team_id("Children in Care North"),
            what_happened="I keep getting moved and nobody asks me what I think. I don't feel safe where I am.",
            outcome_wanted="To talk to someone about where I live.",
            safe_answer="no",
            wants_advocate=True,
            contact_methods=["text"],
            ok_to_leave_message="no",
        ),
        NewSubmission(
            kind=SubmissionKind.COMPLAINT,
            audience=Audience.ADULT,
            channel=Channel.ONLINE_FORM,
            full_name="Chris Invented",
            email="chris.invented@example.com",
            person_type=PersonType.GRANDPARENT,
            team_id=_team_id("Fostering Team"),
            what_happened="I was promised family time with my grandchildren every fortnight; it has not happened.",
            outcome_wanted="The family time that was agreed.",
            contact_methods=["email"],
        ),
    ]
    for n, data in enumerate(new):
        create_submission(data, received_at=now - timedelta(hours=4 + 30 * n), actor_label="public")
    return len(new)


def _live_compliments_and_advocacy(today: date, manager_id: int) -> int:

    source = db.session.scalar(
        sa.select(Category.id).where(Category.kind == "compliment_source", Category.label == "Foster carer")
    )
    compliments.record_compliment(
        compliments.ComplimentDetails(
            received_on=today - timedelta(days=2),
            words="Thank you to the fostering team for the support over a very difficult month.",
            channel=Channel.EMAIL,
            source_id=source,
            internal=False,
            team_id=_team_id("Fostering Team"),
            consent_anonymous_use=True,
        ),
        actor_id=manager_id,
        today=today,
    )
    advocacy.record_request(
        advocacy.ManualRequest(
            received_on=today - timedelta(days=1),
            channel=Channel.TELEPHONE,
            details=advocacy.RequestDetails(
                for_self=False,
                young_person_agrees="yes",
                young_person_age=14,
                situation=CareStatus.CHILD_IN_CARE,
                help_with=("A meeting or review",),
            ),
            young_person_name="Casey Madeup",
            referrer_name="Lee Notreal",
            referrer_role="Social worker",
            phone="07700 900456",
            contact_methods=("phone",),
        ),
        actor_id=manager_id,
        today=today,
    )
    return 2


def _learning(today: date, manager_id: int) -> int:

    upheld = db.session.execute(
        sa.select(Submission, Team.name)
        .join(StageRecord, StageRecord.submission_id == Submission.id)
        .join(Team, Team.id == Submission.team_id)
        .where(StageRecord.outcome.in_(("upheld", "partially_upheld")), Submission.imported.is_(True))
        .order_by(Submission.received_on)
        .limit(8)
    ).all()
    actions = [
        ("Communication", LearningCategory.STAFF_TRAINING, "Team briefing on returning calls within 2 working days."),
        ("Service delays", LearningCategory.PROCESS_CHANGE, "Add an allocation check to the weekly team meeting."),
        ("Quality of documented assessments", LearningCategory.INDIVIDUAL_SUPPORT, "Supervision on recording."),
        ("Communication", LearningCategory.PROCESS_CHANGE, "Share minutes within 10 working days of a meeting."),
        ("Policy issue", LearningCategory.POLICY_REVIEW, "Review the family time policy with carers' input."),
        ("Staff absence", LearningCategory.PROCESS_CHANGE, "Duty cover for absent workers' post and calls."),
        ("Staff conduct", LearningCategory.STAFF_TRAINING, "Practice week session on respectful language."),
        ("Process gap", LearningCategory.PROCESS_CHANGE, "Checklist for ending a placement, shared with the child."),
    ]
    officers = ["Tom Ashcroft", "Head of Service, Children in Care", "Principal Social Worker", "Morgan Hale"]
    for n, ((submission, _team_name), (cause, category, text)) in enumerate(zip(upheld, actions, strict=False)):
        done = n % 3 == 0
        save_learning_action(
            submission,
            None,
            values={
                "root_cause": cause,
                "category": category.value,
                "description": text,
                "responsible_officer": officers[n % len(officers)],
                "team_id": submission.team_id,
                "due_on": submission.received_on + timedelta(days=90),
                "status": LearningStatus.COMPLETED.value if done else LearningStatus.IN_PROGRESS.value,
                "evidence": "Confirmed at the team meeting." if done else None,
                "completed_on": min(submission.received_on + timedelta(days=60), today) if done else None,
            },
            actor_id=manager_id,
            today=today,
        )
    return len(upheld)


def load(*, if_empty: bool = False, seed: int = SEED) -> DemoResult:
    """Load the demo data. With if_empty, do nothing when any submission or staff account exists."""
    ensure_reference_data()
    if if_empty and has_data():
        return DemoResult(created=False)
    today = clock.today_london()
    rows = history_rows(today, seed)

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    result = importer.import_text(out.getvalue(), source="demo-data")
    if not result.ok:
        raise RuntimeError("demo history did not import: " + "; ".join(str(p) for p in result.problems[:5]))
    rng = random.Random(seed)
    accounts = _accounts(rng)
    manager_id = db.session.execute(sa.select(StaffUser.id).where(StaffUser.email == accounts[0].email)).scalar_one()
    live = _live_submissions(today)
    live += _live_compliments_and_advocacy(today, manager_id)
    _learning(today, manager_id)
    return DemoResult(created=True, records=result.imported + live, accounts=accounts)
