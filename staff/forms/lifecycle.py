"""Forms for a complaint's procedure: acknowledge, extend, points and findings, respond, escalate, accept or refuse a
request, close, reopen, withdraw; Stage 2 investigation and costs; the Stage 3 panel; ADR, remedies, Ombudsman
enquiries; and learning actions."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.domain import lifecycle as rules
from portal.domain.enums import LGSCO_DECISION_LABELS, LearningCategory, LearningStatus, StageName
from portal.form_choices import options
from staff.forms.base import StrippedForm
from staff.forms.fields import (
    EXAMPLE_DATE,
    GovDateField,
    HoursField,
    MoneyField,
    optional_int,
    submit_button,
    text_area,
    text_field,
)


def _date(label: str, **kwargs: Any) -> GovDateField:
    """Procedure dates show an example date as their hint."""
    kwargs.setdefault("description", EXAMPLE_DATE)
    return GovDateField(label, **kwargs)


class AcknowledgeForm(StrippedForm):
    acknowledged_on = _date(
        "When was the complainant told we had it?",
        subject="Date of acknowledgement",
        required_message="Enter the date of the acknowledgement",
    )
    submit = submit_button("Save acknowledgement")


class ExtendForm(StrippedForm):
    new_due_on = _date("What is the new due date?", subject="New due date", required_message="Enter the new due date")
    reason = text_area("Why is more time needed?", required="Enter the reason for the extension", max_length=2000)
    authorised_by = text_field("Who authorised the extension?", required="Enter who authorised the extension")
    submit = submit_button("Extend and tell the complainant")


class PointForm(StrippedForm):
    text = text_area("Complaint point", required="Enter the complaint point", max_length=2000)
    submit = submit_button("Add point")


class PointFindingForm(StrippedForm):
    finding = RadioField("Finding", widget=GovRadioInput(), validators=[InputRequired("Select the finding")])
    rationale = text_area("Reasons for the finding (optional)", max_length=3000)
    submit = submit_button("Save finding")


class ResponseForm(StrippedForm):
    responded_on = _date(
        "When was the response sent?", subject="Date of the response", required_message="Enter the date of the response"
    )
    finding = RadioField(
        "What is the overall finding?", widget=GovRadioInput(), validators=[InputRequired("Select the overall finding")]
    )
    outcomes = SelectMultipleField("What was done? (optional)", widget=GovCheckboxesInput(), coerce=int)
    summary = text_area("Summary of the response (optional)", max_length=5000)
    submit = submit_button("Record the response")


class EscalateForm(StrippedForm):
    requested_on = _date(
        "When did they ask?", subject="Date of the request", required_message="Enter the date of the request"
    )
    reason = text_area("What did they say? (optional)", max_length=3000)
    submit = submit_button("Record the request")


class AcceptForm(StrippedForm):
    submit = submit_button("Accept the request")


class DeclineForm(StrippedForm):
    reason = text_area(
        "Why is the request refused?",
        required="Enter the reason for refusing the request",
        max_length=3000,
        description="This goes in the letter to the complainant, with the Ombudsman's details.",
    )
    confirm = BooleanField(
        "I am a complaints manager and I sign off this refusal, knowing the Ombudsman may regard it as fault",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm that you sign off the refusal")],
    )
    submit = submit_button("Refuse the request")


class CloseForm(StrippedForm):
    closed_on = _date("Date of closure", required_message="Enter the date of closure")
    override_reason = text_area(
        "Reason to close while learning actions are open (complaints manager only)",
        max_length=2000,
        description="Leave empty unless promised actions are still open.",
    )
    submit = submit_button("Close the complaint")


class ReopenForm(StrippedForm):
    reason = text_area(
        "Why is the complaint being reopened?", required="Enter the reason for reopening", max_length=2000
    )
    submit = submit_button("Reopen the complaint")


class WithdrawForm(StrippedForm):
    withdrawn_on = _date(
        "When did they withdraw?", subject="Date of withdrawal", required_message="Enter the date of withdrawal"
    )
    reason = text_area("What did they say?", required="Enter the reason for the withdrawal", max_length=2000)
    submit = submit_button("Record the withdrawal")


class InvestigationForm(StrippedForm):
    investigating_officer = text_field("Investigating Officer")
    independent_person = text_field("Independent Person")
    adjudicating_officer = text_field("Adjudicating officer")
    statement_agreed_on = _date(
        "When was the complaint statement agreed?", subject="Date the complaint statement was agreed"
    )
    adjudicated_on = _date("Date of the adjudication")
    submit = submit_button("Save")


class CostForm(StrippedForm):
    description = text_field("What is the cost for?", required="Enter what the cost is for")
    hours = HoursField("Hours (optional)")
    amount = MoneyField("Amount in pounds", required_message="Enter the amount")
    submit = submit_button("Add cost")


class RemoveForm(StrippedForm):
    submit = submit_button("Remove")


class PanelDatesForm(StrippedForm):
    panel_on = _date("When did the panel meet?", subject="Date the panel met")
    findings_on = _date("When were the panel's findings received?", subject="Date the panel's findings were received")
    save_dates = submit_button("Save dates")


class PanelMemberForm(StrippedForm):
    name = text_field("Name of panel member", required="Enter the panel member's name")
    is_chair = BooleanField("Chair of the panel", widget=GovCheckboxInput())
    add_member = submit_button("Add member")


class AdrForm(StrippedForm):
    held_on = _date("Date of the session", required_message="Enter the date of the session")
    kind = RadioField(
        "Kind of session",
        widget=GovRadioInput(),
        choices=options(rules.ADR_KINDS.items()),
        validators=[InputRequired("Select the kind of session")],
    )
    facilitator = text_field("Facilitator", required="Enter the facilitator")
    hours = HoursField("Hours")
    outcome = text_area("Outcome (optional)", max_length=3000)
    submit = submit_button("Record the session")


class RemedyForm(StrippedForm):
    kind = RadioField(
        "Kind of remedy",
        widget=GovRadioInput(),
        choices=options(rules.REMEDY_KINDS.items()),
        validators=[InputRequired("Select the kind of remedy")],
    )
    amount = MoneyField("Amount in pounds (for payments)")
    payee = text_field("Paid to (optional)")
    approved_by = text_field("Approved by (optional)")
    offered_on = _date("Date offered (optional)")
    accepted = RadioField(
        "Did the complainant accept it?",
        widget=GovRadioInput(),
        choices=options([("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]),
        validators=[Optional()],
    )
    paid_on = _date("Date paid (optional)")
    submit = submit_button("Record the remedy")


class LgscoForm(StrippedForm):
    lgsco_reference = text_field("Ombudsman's reference (optional)", max_length=40)
    referred_on = _date(
        "When did the Ombudsman contact us?", subject="Date of referral", required_message="Enter the date of referral"
    )
    stage_reached = RadioField(
        "Stage the complaint had reached",
        widget=GovRadioInput(),
        choices=options((s.value, rules.stage_label(s)) for s in StageName),
        validators=[Optional()],
    )
    decision = RadioField(
        "Ombudsman's decision (when known)",
        widget=GovRadioInput(),
        choices=options((d.value, label) for d, label in LGSCO_DECISION_LABELS.items()),
        validators=[Optional()],
    )
    decision_on = _date("Date of the decision")
    remedy = text_area("Remedy the Ombudsman asked for (optional)", max_length=3000)
    compliance_due_on = _date("Comply by", subject="Date to comply by")
    complied_on = _date("Date the council complied")
    submit = submit_button("Save")


# --- learning actions ----------------------------------------------------------------------------------------

CATEGORY_LABELS = {
    LearningCategory.PROCESS_CHANGE.value: "Process change",
    LearningCategory.STAFF_TRAINING.value: "Staff training",
    LearningCategory.INDIVIDUAL_SUPPORT.value: "Individual support",
    LearningCategory.POLICY_REVIEW.value: "Policy review",
    LearningCategory.OTHER.value: "Other",
}
STATUS_LABELS = {
    LearningStatus.OPEN.value: "Open",
    LearningStatus.IN_PROGRESS.value: "In progress",
    LearningStatus.COMPLETED.value: "Completed",
    LearningStatus.CANCELLED.value: "Cancelled",
}


class LearningForm(StrippedForm):
    root_cause = SelectField("Root cause", widget=GovSelect(), validators=[Optional()])
    root_cause_other = StringField(
        "Or describe the root cause",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message="Root cause must be 200 characters or fewer")],
    )
    category = RadioField(
        "Category of learning",
        widget=GovRadioInput(),
        choices=options(CATEGORY_LABELS.items()),
        validators=[InputRequired("Select the category of learning")],
    )
    description = text_area("What will be done?", required="Enter what will be done", max_length=3000)
    responsible_officer = StringField(
        "Responsible officer",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the responsible officer"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    responsible_officer_id = SelectField(
        "Staff account of the responsible officer (optional)", widget=GovSelect(), coerce=optional_int
    )
    team_id = SelectField("Team", widget=GovSelect(), coerce=optional_int)
    due_on = _date("Due date", required_message="Enter the date the action is due")
    status = RadioField(
        "Status",
        widget=GovRadioInput(),
        choices=options(STATUS_LABELS.items()),
        default=LearningStatus.OPEN.value,
        validators=[InputRequired("Select the status")],
    )
    evidence = text_area("Evidence of completion", max_length=5000, description="Needed when the action is completed.")
    completed_on = _date("Date completed")
    submit = submit_button("Save learning action")
