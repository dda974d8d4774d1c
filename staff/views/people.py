"""A person's page (every contact they made) and contact plans for persistent complainants."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.domain import DomainError
from portal.domain.access import Action, roles_with
from portal.extensions import db
from portal.form_choices import options
from portal.models import Person
from portal.services import cases, choices, people
from portal.services.clock import today_london
from staff import bp
from staff.forms.casework import ContactPlanForm
from staff.permissions import requires


def _person_or_404(person_id: int) -> Person:
    return db.get_or_404(Person, person_id)


@bp.get("/people/<int:person_id>")
@requires(Action.MANAGE_PEOPLE)
def person_detail(person_id: int) -> ResponseReturnValue:
    person = _person_or_404(person_id)
    today = today_london()
    return render_template(
        "staff/people/detail.html",
        person=person,
        contacts=people.contacts_of(person, cases.visible_clause(current_user)),
        plan=people.active_plan(person, today),
        past_plans=[p for p in person.contact_plans if p.ended_on is not None and p.ended_on <= today],
        names=cases.staff_names(),
    )


@bp.route("/people/<int:person_id>/contact-plan", methods=["GET", "POST"])
@requires(Action.MANAGE_PEOPLE)
def person_contact_plan(person_id: int) -> ResponseReturnValue:
    person = _person_or_404(person_id)
    today = today_london()
    form = ContactPlanForm()
    form.named_officer_id.choices = options(
        [(None, "No named officer"), *choices.staff(*roles_with(Action.ACT_AS_CASE_OFFICER))]
    )
    if form.validate_on_submit():
        try:
            people.add_contact_plan(
                person,
                measures=form.measures.data,
                reason=form.reason.data,
                named_officer_id=form.named_officer_id.data,
                review_on=form.review_on.data,
                actor=current_user,
                today=today,
            )
        except DomainError as exc:
            form.review_on.errors = [*form.review_on.errors, str(exc)]
        else:
            flash("Contact plan saved. Contacts from this person are still logged as normal.", "success")
            return redirect(url_for("staff.person_detail", person_id=person.id))
    return render_template(
        "staff/people/contact_plan.html", person=person, form=form, default_review=people.default_review_on(today)
    )
