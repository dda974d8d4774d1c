"""Answers for walking each public journey, page by page (shared by the integration and browser tests)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Category, Team

# step -> form data (lists for checkboxes). Dates are day/month/year lists for GovDateInput.
YP_COMPLAINT: list[tuple[str, dict[str, Any]]] = [
    ("about", {"about": ["where_i_live", "listened"]}),
    ("what-happened", {"what_happened": "My carer reads my messages.\nI told my social worker & nothing <changed>."}),
    ("make-it-better", {"outcome_wanted": "Someone to listen to me."}),
    ("safe", {"safe": "no"}),
    ("unsafe", {}),
    ("name", {"full_name": "Jordan"}),
    ("contact", {"contact_methods": ["text", "advocate"]}),
    ("contact-details", {"phone": "07700 900123", "ok_to_leave_message": "no", "safe_contact_notes": "After 4pm"}),
    ("advocate", {"wants_advocate": "yes"}),
]

YP_COMPLIMENT: list[tuple[str, dict[str, Any]]] = [
    ("who", {"staff_named": "Priya, my social worker"}),
    ("what-they-did", {"words": "She came to my football match."}),
    ("pass-on", {"consent_pass_on": "yes"}),
    ("share", {"consent_anonymous_use": "yes"}),
    ("name", {"full_name": ""}),
    ("contact", {"contact_methods": ["none"]}),
]

YP_ADVOCACY: list[tuple[str, dict[str, Any]]] = [
    ("help-with", {"help_with": ["@A meeting or review"], "help_details": "My review is soon."}),
    ("age", {"young_person_age": "14"}),
    ("situation", {"situation": "child_in_care"}),
    ("needed-by", {"needed_by": ["", "", ""]}),
    ("safe", {"safe": "yes"}),
    ("name", {"full_name": "Kai"}),
    ("contact", {"contact_methods": ["email"]}),
    ("contact-details", {"email": "kai@example.com", "safe_contact_notes": ""}),
]

ADULT_COMPLAINT: list[tuple[str, dict[str, Any]]] = [
    ("who-you-are", {"person_type": "parent", "relationship_to_child": "Mum"}),
    ("child", {"child_name": "Alex Smith", "child_date_of_birth": ["1", "2", "2010"]}),
    ("parental-responsibility", {"has_parental_responsibility": "yes"}),
    ("child-agrees", {"child_knows": "no", "child_consent_note": "They are too upset to talk about it."}),
    ("service", {"team_id": "", "worker_name": "Mr Jones"}),
    ("what-happened", {"what_happened": "The review was cancelled three times without telling us."}),
    ("when", {"grounds_arose_on": ["3", "1", "2024"], "happened_when": "It is still happening"}),
    ("time-limit", {"late_reason": "I did not know I could complain."}),
    ("court", {"court_proceedings": "no"}),
    (
        "outcome",
        {
            "outcome_sought": ["@Meeting", "@Review or change a decision"],
            "outcome_wanted": "A new date for the review.",
        },
    ),
    ("needs", {"needs": ["interpreter"], "interpreter_language": "Polish"}),
    ("your-details", {"full_name": "Sam Smith", "email": "sam@example.com", "phone": "", "address": ""}),
    ("contact-preferences", {"contact_methods": ["email"]}),
]

ADULT_COMPLIMENT: list[tuple[str, dict[str, Any]]] = [
    ("who", {"staff_named": "The Family Support team", "team_id": ""}),
    ("what-they-did", {"words": "They helped us through a very hard year."}),
    ("pass-on", {"consent_pass_on": "yes"}),
    ("share", {"consent_anonymous_use": "no"}),
    ("about-you", {"compliment_source": "@Parent or carer"}),
    ("your-details", {"full_name": "", "email": "", "phone": "", "address": ""}),
]

ADULT_ADVOCACY: list[tuple[str, dict[str, Any]]] = [
    ("for-whom", {"for_whom": "someone_else"}),
    ("agreement", {"young_person_agrees": "yes"}),
    ("young-person", {"child_name": "Riley Brown", "young_person_age": "15"}),
    ("situation", {"situation": "child_protection"}),
    ("help-with", {"help_with": ["@Child protection conference"], "help_details": "Conference next month."}),
    ("needed-by", {"needed_by": ["", "", ""]}),
    ("who-you-are", {"person_type": "professional", "relationship_to_child": "Teacher"}),
    ("safe-contact", {"safe_contact_notes": "Through school, not at home."}),
    ("your-details", {"full_name": "Pat Teacher", "email": "", "phone": "01234 567 000", "address": ""}),
    ("contact-preferences", {"contact_methods": ["phone"], "ok_to_leave_message": "yes"}),
]

JOURNEY_ANSWERS = {
    "young-person/complaint": YP_COMPLAINT,
    "young-person/compliment": YP_COMPLIMENT,
    "young-person/advocacy": YP_ADVOCACY,
    "adult/complaint": ADULT_COMPLAINT,
    "adult/compliment": ADULT_COMPLIMENT,
    "adult/advocacy": ADULT_ADVOCACY,
}


# Every question of every journey answered, nothing left empty (for the round trip to the staff pages). Each
# journey's walk must ask every one of its questions at least once: tests/integration/test_answers_reach_staff.py
# fails when a new question is not answered here. '#Name' stands for the id of the team with that name.
EVERY_ANSWER: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "young-person/complaint": [
        ("about", {"about": ["social_worker", "money"]}),
        ("what-happened", {"what_happened": "Nobody came to my review.\nI waited all day."}),
        ("make-it-better", {"outcome_wanted": "A new review with me in it."}),
        ("safe", {"safe": "not_sure"}),
        ("unsafe", {}),
        ("name", {"full_name": "Jordan Lee"}),
        ("contact", {"contact_methods": ["phone", "text", "email", "carer"]}),
        (
            "contact-details",
            {
                "phone": "07700 900111",
                "email": "jordan@example.com",
                "ok_to_leave_message": "yes",
                "safe_contact_notes": "After school, not at weekends.",
            },
        ),
        ("advocate", {"wants_advocate": "not_sure"}),
    ],
    "young-person/compliment": [
        ("who", {"staff_named": "Priya from the leaving care team"}),
        ("what-they-did", {"words": "She helped me find my flat."}),
        ("pass-on", {"consent_pass_on": "yes"}),
        ("share", {"consent_anonymous_use": "no"}),
        ("name", {"full_name": "Robin Hart"}),
        ("contact", {"contact_methods": ["phone", "email"]}),
        (
            "contact-details",
            {
                "phone": "07700 900222",
                "email": "robin@example.com",
                "ok_to_leave_message": "no",
                "safe_contact_notes": "Any time in the evening.",
            },
        ),
    ],
    "young-person/advocacy": [
        ("help-with", {"help_with": ["@A meeting or review"], "help_details": "My review is on a Monday."}),
        ("age", {"young_person_age": "15"}),
        ("situation", {"situation": "child_in_need"}),
        ("needed-by", {"needed_by": ["20", "12", "2026"]}),
        ("safe", {"safe": "yes"}),
        ("name", {"full_name": "Kai Moss"}),
        ("contact", {"contact_methods": ["text", "email"]}),
        (
            "contact-details",
            {
                "phone": "07700 900333",
                "email": "kai@example.com",
                "ok_to_leave_message": "yes",
                "safe_contact_notes": "Text me first.",
            },
        ),
    ],
    "adult/complaint": [
        ("who-you-are", {"person_type": "grandparent", "relationship_to_child": "Nan"}),
        ("child", {"child_name": "Alex Smith", "child_date_of_birth": ["1", "2", "2012"]}),
        ("parental-responsibility", {"has_parental_responsibility": "not_sure"}),
        ("child-agrees", {"child_knows": "no", "child_consent_note": "They are too upset to talk about it."}),
        ("service", {"team_id": "#Family Support Central", "worker_name": "Mr Jones"}),
        ("what-happened", {"what_happened": "The review was cancelled three times."}),
        ("when", {"grounds_arose_on": ["3", "1", "2024"], "happened_when": "It is still happening"}),
        ("time-limit", {"late_reason": "I did not know I could complain."}),
        ("court", {"court_proceedings": "yes"}),
        ("outcome", {"outcome_sought": ["@Meeting"], "outcome_wanted": "A new date for the review."}),
        ("needs", {"needs": ["interpreter", "large_print"], "interpreter_language": "Polish"}),
        (
            "your-details",
            {"full_name": "Sam Smith", "email": "sam@example.com", "phone": "01234 567 890", "address": "1 High St"},
        ),
        ("contact-preferences", {"contact_methods": ["email", "phone", "text", "letter"], "ok_to_leave_message": "no"}),
    ],
    "adult/compliment": [
        ("who", {"staff_named": "Dee in Family Support", "team_id": "#Family Support Central"}),
        ("what-they-did", {"words": "They helped us through a very hard year."}),
        ("pass-on", {"consent_pass_on": "yes"}),
        ("share", {"consent_anonymous_use": "yes"}),
        ("about-you", {"compliment_source": "@Parent or carer"}),
        (
            "your-details",
            {"full_name": "Lee Parent", "email": "lee@example.com", "phone": "01234 567 891", "address": "2 Low Rd"},
        ),
    ],
    "adult/advocacy": [
        ("for-whom", {"for_whom": "someone_else"}),
        ("agreement", {"young_person_agrees": "not_asked"}),
        ("young-person", {"child_name": "Riley Brown", "young_person_age": "16"}),
        ("situation", {"situation": "care_leaver"}),
        ("help-with", {"help_with": ["@Child protection conference"], "help_details": "Conference next month."}),
        ("needed-by", {"needed_by": ["10", "12", "2026"]}),
        ("who-you-are", {"person_type": "professional", "relationship_to_child": "Teacher"}),
        ("safe-contact", {"safe_contact_notes": "Through school, not at home."}),
        (
            "your-details",
            {"full_name": "Pat Teacher", "email": "pat@example.com", "phone": "01234 567 000", "address": "School"},
        ),
        (
            "contact-preferences",
            {"contact_methods": ["email", "phone", "text", "letter"], "ok_to_leave_message": "yes"},
        ),
    ],
}


def team_id(name: str) -> str:
    """'#Name' values stand for the id of the team with that name."""
    return str(db.session.scalar(sa.select(Team.id).where(Team.name == name)))


def category_id(label: str) -> str:
    """'@Label' values stand for the id of a category with that label."""
    return str(db.session.scalar(sa.select(Category.id).where(Category.label == label)))


def resolve(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, list):
            out[key] = [category_id(v[1:]) if isinstance(v, str) and v.startswith("@") else v for v in value]
        elif isinstance(value, str) and value.startswith("@"):
            out[key] = category_id(value[1:])
        elif isinstance(value, str) and value.startswith("#"):
            out[key] = team_id(value[1:])
        else:
            out[key] = value
    return out
