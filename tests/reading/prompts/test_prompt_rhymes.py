"""A question on the rhymes of verse is put only to lines that rhyme with each other."""

from __future__ import annotations

import pytest

from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import RHYMED, rhymes


def test_lines_whose_rhyme_partners_are_left_out_hold_no_rhyme() -> None:
    assert not rhymes("Vers la mer haute, où l'orage se prépare,\nLe vieux pêcheur lève ses yeux")
    assert rhymes(
        "Sur le quai gris où le vent tourne et gronde,\nLe vieux pêcheur répare ses "
        "filets,\nEt les mouettes qui se moquent du monde"
    )


def test_the_same_word_twice_is_no_rhyme() -> None:
    assert not rhymes("Il marche seul dans la nuit\nEt il chante dans la nuit")


@pytest.mark.parametrize("language", ["de", "en", "es", "fr", "it", "pt"])
def test_the_sound_question_needs_a_rhyme_in_the_lines_quoted(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    (sound,) = [t for t in templates.templates if t.id.endswith("central.interpretive.sound")]
    slots = {"quote": ""}
    assert not sound.fits(frozenset({"verse"}), slots)
    assert sound.fits(frozenset({"verse", RHYMED}), slots)
