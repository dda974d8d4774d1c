"""Vocabularies used across the portal. Values are what is stored and what the CSV interchange uses."""

from enum import StrEnum


class SubmissionKind(StrEnum):
    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    ADVOCACY = "advocacy"


class Audience(StrEnum):
    YOUNG_PERSON = "young_person"
    ADULT = "adult"


class Channel(StrEnum):
    ONLINE_FORM = "online_form"
    EMAIL = "email"
    TELEPHONE = "telephone"
    LETTER = "letter"
    IN_PERSON = "in_person"
    ADVOCATE = "advocate"
    APP = "app"
    TEXT_MESSAGE = "text_message"
    FEEDBACK_FORM = "feedback_form"
    OTHER = "other"


CHANNEL_LABELS = {
    Channel.ONLINE_FORM: "Online form",
    Channel.EMAIL: "Email",
    Channel.TELEPHONE: "Telephone",
    Channel.LETTER: "Letter",
    Channel.IN_PERSON: "In person",
    Channel.ADVOCATE: "Through an advocate",
    Channel.APP: "App (for example Mind of My Own)",
    Channel.TEXT_MESSAGE: "Text message",
    Channel.FEEDBACK_FORM: "Paper feedback form",
    Channel.OTHER: "Other",
}


class PersonType(StrEnum):
    CHILD_OR_YOUNG_PERSON = "child_or_young_person"
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    CARER = "carer"
    RELATIVE = "relative"
    PROFESSIONAL = "professional"
    ADVOCATE = "advocate"
    OTHER = "other"


PERSON_TYPE_LABELS = {
    PersonType.CHILD_OR_YOUNG_PERSON: "Child or young person",
    PersonType.PARENT: "Parent",
    PersonType.GRANDPARENT: "Grandparent",
    PersonType.CARER: "Carer (including foster carer)",
    PersonType.RELATIVE: "Other family member",
    PersonType.PROFESSIONAL: "Professional",
    PersonType.ADVOCATE: "Advocate",
    PersonType.OTHER: "Other",
}


class CareStatus(StrEnum):
    CHILD_IN_CARE = "child_in_care"
    LEAVING_CARE = "leaving_care"
    CARE_LEAVER = "care_leaver"
    CHILD_PROTECTION = "child_protection"
    CHILD_IN_NEED = "child_in_need"
    OTHER = "other"


CARE_STATUS_LABELS = {
    CareStatus.CHILD_IN_CARE: "Child in care",
    CareStatus.LEAVING_CARE: "Leaving care (16 to 17)",
    CareStatus.CARE_LEAVER: "Care leaver",
    CareStatus.CHILD_PROTECTION: "Child protection plan",
    CareStatus.CHILD_IN_NEED: "Child in need",
    CareStatus.OTHER: "Other or not known",
}


class Classification(StrEnum):
    STATUTORY = "statutory"
    CORPORATE = "corporate"
    CASE_CONCERN = "case_concern"
    REPRESENTATION = "representation"
    PRE_COMPLAINT = "pre_complaint"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


CLASSIFICATION_LABELS = {
    Classification.STATUTORY: "Statutory complaint (Stage 1)",
    Classification.CORPORATE: "Corporate complaint",
    Classification.CASE_CONCERN: "Case concern",
    Classification.REPRESENTATION: "Representation (informal)",
    Classification.PRE_COMPLAINT: "Pre-complaint (more information needed)",
    Classification.REFUSED: "Refused",
    Classification.WITHDRAWN: "Withdrawn",
}


class SubmissionStatus(StrEnum):
    """Where a submission is overall. Stage detail lives on the stage records."""

    NEW = "new"  # waiting for triage
    AWAITING_INFORMATION = "awaiting_information"  # pre-complaint: more information asked for
    OPEN = "open"  # being handled (a stage is running, or a concern is with the team)
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"


class Procedure(StrEnum):
    ENGLAND_STATUTORY = "england_statutory"
    LGSCO_CORPORATE = "lgsco_corporate"
    SCOTLAND_MCHP = "scotland_mchp"
    ADVOCACY = "advocacy"  # the advocacy service's own targets, held the same way


class StageName(StrEnum):
    STAGE1 = "stage1"
    STAGE2 = "stage2"
    STAGE3 = "stage3"
    CORPORATE1 = "corporate1"
    CORPORATE2 = "corporate2"
    FRONTLINE = "frontline"
    INVESTIGATION = "investigation"


STAGE_LABELS = {
    StageName.STAGE1: "Stage 1",
    StageName.STAGE2: "Stage 2",
    StageName.STAGE3: "Stage 3",
    StageName.CORPORATE1: "Corporate stage 1",
    StageName.CORPORATE2: "Corporate stage 2",
    StageName.FRONTLINE: "Frontline (stage 1)",
    StageName.INVESTIGATION: "Investigation (stage 2)",
}


class StageStatus(StrEnum):
    REQUESTED = "requested"  # escalation asked for, decision pending
    DECLINED = "declined"  # escalation refused (needs reason and sign-off)
    OPEN = "open"
    RESPONDED = "responded"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Finding(StrEnum):
    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially_upheld"
    NOT_UPHELD = "not_upheld"
    RESOLVED = "resolved"  # Scotland only


FINDING_LABELS = {
    Finding.UPHELD: "Upheld",
    Finding.PARTIALLY_UPHELD: "Partially upheld",
    Finding.NOT_UPHELD: "Not upheld",
    Finding.RESOLVED: "Resolved",
}


class EscalationDecision(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


class LgscoDecision(StrEnum):
    PREMATURE = "premature"
    NOT_INVESTIGATED = "not_investigated"
    NO_FAULT = "no_fault"
    FAULT_NO_INJUSTICE = "fault_no_injustice"
    FAULT_WITH_INJUSTICE = "fault_with_injustice"


LGSCO_DECISION_LABELS = {
    LgscoDecision.PREMATURE: "Premature",
    LgscoDecision.NOT_INVESTIGATED: "Not investigated",
    LgscoDecision.NO_FAULT: "No fault",
    LgscoDecision.FAULT_NO_INJUSTICE: "Fault without injustice",
    LgscoDecision.FAULT_WITH_INJUSTICE: "Fault with injustice",
}


class CategoryKind(StrEnum):
    """Council-editable lists."""

    THEME = "theme"
    OUTCOME_SOUGHT = "outcome_sought"
    ACTUAL_OUTCOME = "actual_outcome"
    REFUSAL_REASON = "refusal_reason"
    COMPLIMENT_SOURCE = "compliment_source"
    ADVOCACY_HELP = "advocacy_help"
    ROOT_CAUSE = "root_cause"


class Role(StrEnum):
    COMPLAINTS_MANAGER = "complaints_manager"
    COMPLAINTS_OFFICER = "complaints_officer"
    RESPONDING_MANAGER = "responding_manager"
    ADVOCATE = "advocate"
    REPORT_VIEWER = "report_viewer"
    ADMINISTRATOR = "administrator"


ROLE_LABELS = {
    Role.COMPLAINTS_MANAGER: "Complaints manager",
    Role.COMPLAINTS_OFFICER: "Complaints officer",
    Role.RESPONDING_MANAGER: "Responding manager",
    Role.ADVOCATE: "Advocate",
    Role.REPORT_VIEWER: "Report viewer",
    Role.ADMINISTRATOR: "Administrator",
}


class AdvocacyStatus(StrEnum):
    NEW = "new"
    ALLOCATED = "allocated"
    IN_CONTACT = "in_contact"
    ACTIVE = "active"
    CLOSED = "closed"


class AdvocacyOutcome(StrEnum):
    COMPLAINT_SUPPORTED = "complaint_supported"
    MEETING_ATTENDED = "meeting_attended"
    ISSUE_RESOLVED = "issue_resolved"
    YOUNG_PERSON_WITHDREW = "young_person_withdrew"
    NOT_ELIGIBLE = "not_eligible"
    OTHER = "other"


class LearningCategory(StrEnum):
    PROCESS_CHANGE = "process_change"
    STAFF_TRAINING = "staff_training"
    INDIVIDUAL_SUPPORT = "individual_support"
    POLICY_REVIEW = "policy_review"
    OTHER = "other"


LEARNING_CATEGORY_LABELS = {
    LearningCategory.PROCESS_CHANGE: "Process change",
    LearningCategory.STAFF_TRAINING: "Staff training",
    LearningCategory.INDIVIDUAL_SUPPORT: "Individual support",
    LearningCategory.POLICY_REVIEW: "Policy review",
    LearningCategory.OTHER: "Other",
}


class LearningStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; visible to staff


class MessageChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
