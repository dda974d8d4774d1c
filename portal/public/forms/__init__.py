"""The public forms: the journeys' pages (made from the question definitions), and tracking.

- ``fields.py``: the fields every public form shares, and the field that asks each kind of question;
- ``journey.py``: the base of every journey page, the form class of each step, and the send and delete forms;
- ``tracking.py``: the tracking forms.
"""

from portal.public.forms.journey import DiscardForm, JourneyForm, SubmitForm, build_form, form_class
from portal.public.forms.tracking import AddInformationForm, NextStageForm, TrackForm, WithdrawForm

__all__ = [
    "AddInformationForm",
    "DiscardForm",
    "JourneyForm",
    "NextStageForm",
    "SubmitForm",
    "TrackForm",
    "WithdrawForm",
    "build_form",
    "form_class",
]
