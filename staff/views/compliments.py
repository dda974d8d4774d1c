"""Compliments: the register (filters, pages, CSV), recording and correcting a compliment, and the wall."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.domain import DomainError
from portal.domain.compliments import ComplimentError
from portal.domain.enums import CHANNEL_LABELS, Channel, Role, SubmissionKind
from portal.services import clock
from portal.services import compliments as service
from staff import bp
from staff.permissions import get_submission_or_404, roles_required

REGISTER_ROLES = (Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER, Role.RESPONDING_MANAGER)
RECORD_ROLES = (Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER)

CONSENT_CHOICES = [("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked or not known")]
ORIGIN_CHOICES = [("external", "External (from outside the council)"), ("internal", "Internal (from a colleague)")]


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def optional_int(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class GovDateField(DateField):
    """A GOV.UK day/month/year date with GOV.UK error wording."""

    def __init__(self, label: str, *, required_message: str | None = None, **kwargs: Any) -> None:
        validators = [InputRequired(required_message)] if required_message else [Optional()]
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), validators=validators, **kwargs)
        self._label_text = label

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not any(v.strip() for v in valuelist):
            self.data = None
            self.raw_data = valuelist or None
            return
        day, month, year = ([*list(valuelist), "", "", ""])[:3]
        try:
            self.data = date(int(year), int(month), int(day))
        except (TypeError, ValueError):
            self.data = None
            raise ValueError(f"{self._label_text.rstrip('?')} must be a real date, like 27 3 2026")
        if self.data.year < 1900:
            self.data = None
            raise ValueError(f"{self._label_text.rstrip('?')} must include a 4-digit year")


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def from_bool(value: bool | None) -> str:
    return "not_asked" if value is None else ("yes" if value else "no")


class StrippedForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):  # type: ignore[no-untyped-def]
            filters = unbound_field.kwargs.get("filters", [])
            if strip not in filters:
                unbound_field.kwargs["filters"] = [strip, *filters]
            return unbound_field.bind(form=form, **options)


class ComplimentForm(StrippedForm):
    received_on = GovDateField(
        "When was the compliment received?",
        required_message="Enter the date the compliment was received",
        description="For example, 27 3 2026",
    )
    channel = SelectField(
        "How did it arrive?",
        widget=GovSelect(),
        choices=[("", "Select how it arrived")] + [(c.value, CHANNEL_LABELS[c]) for c in Channel],
        validators=[DataRequired("Select how the compliment arrived")],
    )
    source = SelectField(
        "Who is it from?",
        widget=GovSelect(),
        coerce=optional_int,
        validators=[InputRequired("Select who the compliment is from")],
    )
    origin = RadioField(
        "Is it from inside or outside the council?",
        widget=GovRadioInput(),
        choices=ORIGIN_CHOICES,
        validators=[InputRequired("Select whether the compliment is internal or external")],
    )
    from_name = StringField(
        "Name of the person who sent it (optional)",
        widget=GovTextInput(),
        description="Kept on the record only. Never shown on the compliments wall or sent to staff.",
        validators=[Length(max=200, message="Name must be 200 characters or fewer")],
    )
    team = SelectField("Which team is it about?", widget=GovSelect(), coerce=optional_int)
    service_area = SelectField(
        "Which service area is it about?",
        widget=GovSelect(),
        coerce=optional_int,
        description="Only needed when no team is selected: the team's service area is used otherwise.",
    )
    staff_named = StringField(
        "Which members of staff does it name? (optional)",
        widget=GovTextInput(),
        description="As written, for example 'Priya (social worker) and her manager'.",
        validators=[Length(max=300, message="Staff named must be 300 characters or fewer")],
    )
    staff_user = SelectField(
        "Named member of staff with an account (optional)",
        widget=GovSelect(),
        coerce=optional_int,
        description="They are emailed the compliment when the person agreed to it being passed on.",
    )
    words = TextAreaField(
        "What did they say?",
        widget=GovTextArea(),
        description="Copy the words exactly. For a card or letter, type what it says.",
        validators=[DataRequired("Enter the words of the compliment"), Length(max=10000)],
    )
    consent_pass_on = RadioField(
        "Did they agree to it being passed on to the staff named and their manager?",
        widget=GovRadioInput(),
        choices=CONSENT_CHOICES,
        validators=[InputRequired("Select whether they agreed to it being passed on")],
    )
    consent_anonymous_use = RadioField(
        "Did they agree to it being used without their name, for example on the compliments wall or in reports?",
        widget=GovRadioInput(),
        choices=CONSENT_CHOICES,
        validators=[InputRequired("Select whether they agreed to anonymous use")],
    )
    record_anyway = BooleanField(
        "This is a different compliment with the same words: record it anyway",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Save compliment", widget=GovSubmitInput())

    def fill_choices(self, include_source_id: int | None = None) -> None:
        self.source.choices = [("", "Select who it is from")] + [
            (c.id, c.label) for c in service.source_choices(include_source_id)
        ]
        self.team.choices = [("", "No particular team")] + [(t.id, t.name) for t in service.team_choices()]
        self.service_area.choices = [("", "Not known or not needed")] + [
            (a.id, a.name) for a in service.service_area_choices()
        ]
        self.staff_user.choices = [("", "Nobody selected")] + [
            (u.id, f"{u.full_name} ({u.email})") for u in service.staff_choices()
        ]

    def validate_source(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select who the compliment is from")

    def details(self) -> service.ComplimentDetails:
        return service.ComplimentDetails(
            received_on=self.received_on.data,
            words=self.words.data or "",
            channel=Channel(self.channel.data) if self.channel.data else None,
            source_id=self.source.data,
            internal=self.origin.data == "internal",
            service_area_id=self.service_area.data,
            team_id=self.team.data,
            staff_named=self.staff_named.data or None,
            staff_user_id=self.staff_user.data,
            consent_pass_on=yes_no(self.consent_pass_on.data),
            consent_anonymous_use=yes_no(self.consent_anonymous_use.data),
            from_name=self.from_name.data or None,
        )


class RegisterFilterForm(StrippedForm):
    class Meta(StrippedForm.Meta):
        csrf = False

    received_from = GovDateField("Received from")
    received_to = GovDateField("Received to")
    # Filters are lenient: an unknown value in the address is ignored rather than shown as an error.
    source = SelectField("Who it is from", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    origin = SelectField(
        "Internal or external",
        widget=GovSelect(),
        choices=[("", "Internal and external"), ("external", "External"), ("internal", "Internal")],
        default="",
        validate_choice=False,
    )
    service_area = SelectField("Service area", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    team = SelectField("Team", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    q = StringField("Words, staff named or reference", widget=GovTextInput(), validators=[Length(max=200)])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def fill_choices(self) -> None:
        self.source.choices = [("", "Any source")] + [(c.id, c.label) for c in service.source_choices()]
        self.service_area.choices = [("", "Any service area")] + [
            (a.id, a.name) for a in service.service_area_choices()
        ]
        self.team.choices = [("", "Any team")] + [(t.id, t.name) for t in service.team_choices()]

    def validate_received_to(self, field: GovDateField) -> None:
        if field.data and self.received_from.data and field.data < self.received_from.data:
            raise ValidationError("Received to must be the same as or after received from")

    def filters(self) -> service.RegisterFilters:
        ok = not self.errors
        return service.filters_for(
            current_user,
            received_from=self.received_from.data if ok else None,
            received_to=self.received_to.data if ok else None,
            source_id=self.source.data,
            origin=self.origin.data if self.origin.data in ("internal", "external") else None,
            service_area_id=self.service_area.data,
            team_id=self.team.data,
            text=self.q.data or None,
        )


class WallFilterForm(StrippedForm):
    class Meta(StrippedForm.Meta):
        csrf = False

    team = SelectField("Team", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    submit = SubmitField("Show", widget=GovSubmitInput())


def _filter_form() -> RegisterFilterForm:
    form = RegisterFilterForm(request.args)
    form.fill_choices()
    if request.args:
        form.validate()
    return form


def _query_args() -> dict[str, Any]:
    """The current filters, for the pagination and CSV links."""
    return {k: v for k, v in request.args.items(multi=True) if k not in ("page", "submit") and v}


@bp.get("/compliments")
@roles_required(*REGISTER_ROLES)
def compliments_register():  # type: ignore[no-untyped-def]
    form = _filter_form()
    page = service.register_page(form.filters(), page=request.args.get("page", 1, type=int))
    args = _query_args()
    return render_template(
        "staff/compliments/register.html",
        form=form,
        results=page,
        query_args=args,
        filtered=bool(args),
        can_record=current_user.role in RECORD_ROLES,
    )


@bp.get("/compliments/export.csv")
@roles_required(*REGISTER_ROLES)
def compliments_export():  # type: ignore[no-untyped-def]
    form = _filter_form()
    if form.errors:
        abort(400)
    today = clock.today_london()
    rows = service.export_csv(form.filters(), actor_id=current_user.id)
    return Response(
        stream_with_context(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="compliments-{today.isoformat()}.csv"'},
    )


@bp.get("/compliments/wall")
@roles_required(*REGISTER_ROLES)
def compliments_wall():  # type: ignore[no-untyped-def]
    form = WallFilterForm(request.args)
    form.team.choices = [("", "All teams")] + [(t.id, t.name) for t in service.team_choices()]
    team_id = form.team.data if form.team.data in {value for value, _ in form.team.choices} else None
    items = service.wall(today=clock.today_london(), team_id=team_id)
    return render_template(
        "staff/compliments/wall.html", filter_form=form, items=items, team_id=team_id, months=service.WALL_MONTHS
    )


def _duplicate_context(exc: service.DuplicateCompliment | None) -> dict[str, Any]:
    if exc is None:
        return {"duplicate": None}
    return {"duplicate": {"id": exc.existing_id, "reference": exc.existing_reference}}


@bp.route("/compliments/new", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def compliments_new():  # type: ignore[no-untyped-def]
    form = ComplimentForm()
    form.fill_choices()
    duplicate = None
    if request.method == "GET":
        form.received_on.data = clock.today_london()
    if form.validate_on_submit():
        try:
            submission = service.record_compliment(
                form.details(),
                actor_id=current_user.id,
                today=clock.today_london(),
                allow_duplicate=bool(form.record_anyway.data),
                require_subject=True,
            )
        except service.DuplicateCompliment as exc:
            duplicate = exc
            form.words.errors.append(str(exc))
        except ComplimentError as exc:
            getattr(form, exc.field, form.words).errors.append(str(exc))
        except DomainError as exc:
            form.words.errors.append(str(exc))
        else:
            flash(f"Compliment {submission.reference} recorded", "success")
            return redirect(url_for("staff.compliments_record", compliment_id=submission.id))
    return render_template("staff/compliments/form.html", form=form, submission=None, **_duplicate_context(duplicate))


def _compliment_or_404(compliment_id: int) -> Any:
    submission = get_submission_or_404(compliment_id)
    if submission.kind != SubmissionKind.COMPLIMENT or submission.compliment is None:
        abort(404)
    return submission


@bp.get("/compliments/<int:compliment_id>")
@roles_required(*REGISTER_ROLES)
def compliments_record(compliment_id: int):  # type: ignore[no-untyped-def]
    submission = _compliment_or_404(compliment_id)
    view = service.compliment_view(submission, viewer=current_user)
    return render_template(
        "staff/compliments/record.html",
        submission=submission,
        compliment=view.compliment,
        duplicates=view.duplicates,
        messages=view.messages,
        staff_user=view.staff_user,
        can_edit=current_user.role in RECORD_ROLES,
    )


@bp.route("/compliments/<int:compliment_id>/edit", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def compliments_edit(compliment_id: int):  # type: ignore[no-untyped-def]
    submission = _compliment_or_404(compliment_id)
    compliment = submission.compliment
    form = ComplimentForm()
    form.fill_choices(include_source_id=compliment.source_id)
    form.submit.label.text = "Save changes"
    duplicate = None
    if request.method == "GET":
        form.received_on.data = submission.received_on
        form.channel.data = submission.channel.value if submission.channel else ""
        form.source.data = compliment.source_id
        form.origin.data = None if compliment.internal is None else ("internal" if compliment.internal else "external")
        form.from_name.data = submission.person.full_name if submission.person is not None else ""
        form.team.data = submission.team_id
        form.service_area.data = submission.service_area_id
        form.staff_named.data = compliment.staff_named or ""
        form.staff_user.data = compliment.staff_user_id
        form.words.data = compliment.words or ""
        form.consent_pass_on.data = from_bool(compliment.consent_pass_on)
        form.consent_anonymous_use.data = from_bool(compliment.consent_anonymous_use)
    if form.validate_on_submit():
        try:
            service.update_compliment(
                submission,
                form.details(),
                actor_id=current_user.id,
                today=clock.today_london(),
                allow_duplicate=bool(form.record_anyway.data),
                require_subject=True,
            )
        except service.DuplicateCompliment as exc:
            duplicate = exc
            form.words.errors.append(str(exc))
        except ComplimentError as exc:
            getattr(form, exc.field, form.words).errors.append(str(exc))
        except DomainError as exc:
            form.words.errors.append(str(exc))
        else:
            flash(f"Compliment {submission.reference} updated", "success")
            return redirect(url_for("staff.compliments_record", compliment_id=submission.id))
    return render_template(
        "staff/compliments/form.html", form=form, submission=submission, **_duplicate_context(duplicate)
    )
