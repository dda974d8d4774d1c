"""Choices for WTForms select, radio and checkbox fields, public and staff alike.

WTForms 3.3 deprecates ``(value, label)`` tuples as choices and 3.4 removes them, so every choice list is a list of
``SelectChoice``. Values are strings, as a browser sends them (``None`` becomes ``""``); a field's ``coerce`` turns
them back into ints or ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import SelectChoice


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """``SelectChoice``s from ``(value, label)`` pairs, in order."""
    return [SelectChoice(value="" if value is None else str(value), label=label) for value, label in pairs]


def choice_labels(choices: Iterable[SelectChoice] | None) -> dict[str, str]:
    """The label of each choice by its (string) value: for showing an answer, or checking one is on the list."""
    return {choice.value: choice.label for choice in choices or []}
