"""Submission references: readable, unguessable, self-checking."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.references import ALPHABET, generate_reference, normalise_reference


def test_reference_shape():
    ref = generate_reference()
    assert len(ref) == 11 and ref[3] == "-" and ref[7] == "-"
    assert all(ch in ALPHABET for ch in ref.replace("-", ""))


def test_alphabet_has_no_look_alikes():
    for ch in "0O1IL U":
        assert ch not in ALPHABET


def test_references_are_not_sequential():
    refs = {generate_reference() for _ in range(2000)}
    assert len(refs) == 2000


def test_normalise_accepts_what_people_type():
    ref = generate_reference()
    assert normalise_reference(ref.lower()) == ref
    assert normalise_reference(ref.replace("-", " ")) == ref
    assert normalise_reference(" " + ref.replace("-", "") + " ") == ref


@settings(deadline=None, max_examples=300)  # no time limit: the CI machine is shared and noisy
@given(st.randoms(use_true_random=False))
def test_any_single_mistyped_character_is_caught(rnd):
    ref = generate_reference(randbelow=lambda n: rnd.randrange(n)).replace("-", "")
    position = rnd.randrange(len(ref))
    replacement = rnd.choice([c for c in ALPHABET if c != ref[position]])
    typo = ref[:position] + replacement + ref[position + 1 :]
    assert normalise_reference(typo) is None


def test_most_neighbour_swaps_are_caught():
    rnd = random.Random(7)
    caught = total = 0
    for _ in range(3000):
        ref = generate_reference(randbelow=lambda n: rnd.randrange(n)).replace("-", "")
        i = rnd.randrange(len(ref) - 1)
        if ref[i] == ref[i + 1]:
            continue
        swapped = ref[:i] + ref[i + 1] + ref[i] + ref[i + 2 :]
        total += 1
        caught += normalise_reference(swapped) is None
    assert caught / total > 0.95


def test_rubbish_is_rejected():
    assert normalise_reference("") is None
    assert normalise_reference("ABC") is None
    assert normalise_reference("0OI-1LU-ABC") is None
