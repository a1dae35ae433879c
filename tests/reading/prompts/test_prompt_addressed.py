"""Words a narrator says to someone as "thou" ("Lunghi inverni verranno per te", to an olive
tree just planted) paint no one: they are not asked how the narrator sees what he describes,
while a sentence that does describe still is. Only the narrator's own words count, not a
character's set in quotation marks; and a question put to someone as "thou" is asked about as
a question, not held back as a statement cut from its apostrophe."""

from __future__ import annotations

import pytest

from bot.reading.prompts.engine import is_spoken_to, section_candidates, section_words
from bot.reading.prompts.kinds import TextKind
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import ADDRESSED, narrated
from bot.reading.prompts.sentences import parse_section
from tests.reading.prompts.first_sentence import first_sentence_features


@pytest.mark.parametrize(
    ("language", "addressed", "described"),
    [
        (
            "it",
            "Lunghi inverni verranno per te, perché la collina è spoglia e ventosa.",
            "La collina è spoglia e ventosa per il giovane ulivo piantato ieri.",
        ),
        (
            "de",
            "Lange Winter kommen für dich, denn der Hügel ist kahl und windig.",
            "Der Hügel ist kahl und windig für den jungen Baum am Zaun.",
        ),
        (
            "en",
            "Long winters will come for thee, for the hill is bare and windy.",
            "The hill is bare and windy for the young tree by the fence.",
        ),
        (
            "fr",
            "De longs hivers t'attendent, car ta colline est nue et venteuse.",
            "La colline est nue et venteuse pour le jeune arbre près du mur.",
        ),
        (
            "es",
            "Largos inviernos te esperan, porque tu colina es pelada y ventosa.",
            "La colina es pelada y ventosa para el joven árbol junto a la cerca.",
        ),
        (
            "pt",
            "Longos invernos te esperam, porque a tua colina é nua e ventosa.",
            "A colina é nua e ventosa para a jovem árvore junto à cerca.",
        ),
    ],
)
def test_a_sentence_said_to_thee_is_addressed_and_a_description_is_not(
    language: str, addressed: str, described: str
) -> None:
    assert ADDRESSED in first_sentence_features(addressed, language)
    assert ADDRESSED not in first_sentence_features(described, language)


@pytest.mark.parametrize("language", ["it", "de", "en", "es", "fr", "pt"])
def test_no_portrait_question_is_put_to_words_said_to_someone(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    portraits = [t for t in templates.templates if ".portrait" in t.id]
    assert portraits
    slots = {"quote": "q", "person": "P"}
    features = frozenset({"story", "description", "charged", "introduced", "person"})
    assert any(t.fits(features, slots) for t in portraits)
    assert not any(t.fits(features | {ADDRESSED}, slots) for t in portraits)


def test_words_said_to_thee_inside_a_characters_quoted_speech_are_not_the_narrators() -> None:
    text = "Der Wirt trat ans Fenster, die Magd aber rief: »Komm herein, ich warte auf dich.«"
    assert "dich" not in narrated(text)
    assert ADDRESSED not in first_sentence_features(text, "de")


OLIVE = (
    "Guardo un ulivo appena piantato sulla collina, e non ha ancora foglie.\n\n"
    "Lunghi inverni verranno per te, perché la collina è spoglia e ventosa.\n\n"
    "Quando imparerai a piegare i tuoi rami al vento che scende dal monte?\n\n"
    "L'ulivo resta immobile e il contadino lo guarda in silenzio."
)


def _spoken_to_of(opening: str) -> bool:
    lexicon = lexicon_for("it")
    parsed = parse_section(OLIVE, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    found = [
        c
        for c in section_candidates(parsed, lexicon, words, None, TextKind.STORY)
        if c.sentence is not None and c.sentence.text.startswith(opening)
    ]
    assert found
    return any(is_spoken_to(c) for c in found)


def test_a_statement_said_to_thee_leans_on_the_apostrophe_a_question_put_to_thee_does_not() -> None:
    assert _spoken_to_of("Lunghi inverni")
    assert not _spoken_to_of("Quando imparerai")
    assert not _spoken_to_of("Guardo un ulivo")
