"""Procedures as data: editing timescales and closure days recomputes running stages, with an audit event each."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.domain.enums import Procedure, Role
from portal.models import AuditEvent, ClosureDay, ProcedureProfile, Timescale
from portal.services import procedures
from tests.lifecycle_support import open_complaint


def _timescale(db, procedure, key):
    return db.session.scalar(
        sa.select(Timescale).join(ProcedureProfile).where(ProcedureProfile.code == procedure, Timescale.key == key)
    )


def test_changing_a_timescale_recomputes_open_stages_and_audits_each(db):
    running = open_complaint()
    finished = open_complaint(email="b@example.com")
    finished.stages[0].status = "responded"
    db.session.commit()
    changed = procedures.update_timescale(
        _timescale(db, Procedure.ENGLAND_STATUTORY, "stage1.response"), working_days=12, text_value=None, actor_id=None
    )
    assert changed == 1
    assert running.stages[0].due_on == date(2026, 11, 18) and running.next_due_on == date(2026, 11, 18)
    assert finished.stages[0].due_on == date(2026, 11, 16)
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "stage.deadlines_recomputed"))
    assert event.before["due_on"] == "2026-11-16" and event.after["due_on"] == "2026-11-18"


def test_an_extension_maximum_below_the_normal_timescale_is_refused(db):
    import pytest

    from portal.domain import DomainError

    with pytest.raises(DomainError, match="cannot be before the normal"):
        procedures.update_timescale(
            _timescale(db, Procedure.ENGLAND_STATUTORY, "stage1.max"), working_days=5, text_value=None, actor_id=None
        )


def test_closure_days_move_only_procedures_that_honour_them(db):
    statutory = open_complaint()
    corporate = open_complaint(Procedure.LGSCO_CORPORATE, email="c@example.com")
    assert corporate.stages[0].acknowledge_due_on == date(2026, 11, 9)
    changed = procedures.add_closure_day(day=date(2026, 11, 6), description="Staff day", actor_id=None)
    assert changed == 1
    assert corporate.stages[0].acknowledge_due_on == date(2026, 11, 10)
    assert statutory.stages[0].due_on == date(2026, 11, 16)  # statutory working days ignore closures
    closure = db.session.scalar(sa.select(ClosureDay))
    procedures.remove_closure_day(closure, actor_id=None)
    assert corporate.stages[0].acknowledge_due_on == date(2026, 11, 9)


def test_recompute_deadlines_command(runner, db):
    submission = open_complaint()
    _timescale(db, Procedure.ENGLAND_STATUTORY, "stage1.response").working_days = 15
    db.session.commit()
    result = runner.invoke(args=["recompute-deadlines"])
    assert result.exit_code == 0 and "1 changed" in result.output
    db.session.expire_all()
    assert submission.stages[0].due_on == date(2026, 11, 23)


def test_settings_pages(staff_client, db):
    client = staff_client(Role.COMPLAINTS_MANAGER)
    page = client.page("/staff/admin/procedures")
    assert "England statutory children" in page.text
    ts = _timescale(db, Procedure.ENGLAND_STATUTORY, "stage1.response")
    url = f"/staff/admin/procedures/timescale?timescale={ts.id}"
    page = client.post(url, {"working_days": "ten"}, form_url=url).page
    assert "Working days must be a whole number" in page.select_one(".govuk-error-summary").text
    assert client.post(url, {"working_days": "11"}).status_code == 302
    clock = _timescale(db, Procedure.ENGLAND_STATUTORY, "stage2.clock_from")
    url = f"/staff/admin/procedures/timescale?timescale={clock.id}"
    assert client.post(url, {"text_value": "statement_agreed"}, form_url=url).status_code == 302
    db.session.expire_all()
    assert ts.working_days == 11 and clock.text_value == "statement_agreed"
    url = "/staff/admin/procedures/profile?procedure=scotland_mchp"
    assert client.post(url, {"honours_closure_days": "y"}, form_url=url).status_code == 302
    db.session.expire_all()
    assert not db.session.scalar(
        sa.select(ProcedureProfile.enabled).where(ProcedureProfile.code == Procedure.SCOTLAND_MCHP)
    )
    client.get("/staff/admin/procedures/profile?procedure=nonsense", expected_status=404)
    client.get("/staff/admin/closure-days")
    response = client.client.post(
        "/staff/admin/closure-days",
        data={"csrf_token": client.last_csrf, "day": ["24", "12", "2026"], "description": "Christmas Eve closure"},
    )
    assert response.status_code == 302
    page = client.page("/staff/admin/closure-days")
    assert "Christmas Eve closure" in page.text
    officer = staff_client(Role.COMPLAINTS_OFFICER)
    officer.get("/staff/admin/procedures", expected_status=403)
