"""Verse: a question on rhymes is put only to lines that rhyme with each other, and a
character's words in a poem are not asked of as the poem's."""

from __future__ import annotations

import pytest

from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import RHYMED, SPOKEN, opens_speech_before, rhymes


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


def test_words_after_an_open_speech_mark_are_a_characters() -> None:
    text = "Le marchand va disant dans les rues: « Puisqu'on me paie, je vous vendrai la lune; »"
    assert opens_speech_before(text, text.index("je vous vendrai"))
    assert not opens_speech_before(text, text.index("va disant"))
    assert not opens_speech_before(text + " Et le poète se tait.", len(text) + 1)


@pytest.mark.parametrize("language", ["de", "en", "es", "fr", "it", "pt"])
def test_a_characters_words_in_a_poem_are_not_asked_of_as_the_poems(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    verse = [t for t in templates.templates if t.move == "central" and t.texts == {"verse"}]
    assert len(verse) >= 4
    for template in verse:
        assert not template.fits(frozenset({"verse", RHYMED, SPOKEN}), {"quote": ""})
