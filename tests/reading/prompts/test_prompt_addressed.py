"""Words a narrator says to someone as "thou" ("Troppe probabilità di malattia vi sono per
te", to a newborn) paint no one: they are not asked how the narrator sees what he describes,
while a sentence that does describe still is. Only the narrator's own words count, not a
character's set in quotation marks; and a question put to someone as "thou" is asked about as
a question, not held back as a statement cut from its apostrophe."""

from __future__ import annotations

import pytest

from bot.reading.prompts.engine import _candidates, _spoken_to, _words
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import ADDRESSED, narrated, sentence_features
from bot.reading.prompts.sentences import parse_section


def _features(text: str, language: str) -> frozenset[str]:
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    return sentence_features(parsed.sentences[0], parsed, lexicon)


@pytest.mark.parametrize(
    ("language", "addressed", "described"),
    [
        (
            "it",
            "Troppi pericoli ci sono per te, perché il mondo è duro e freddo.",
            "Il mondo è duro e freddo per il povero bambino nella culla.",
        ),
        (
            "de",
            "Viele Gefahren warten auf dich, denn die Welt ist hart und kalt.",
            "Die Welt ist hart und kalt für das arme Kind in der Wiege.",
        ),
        (
            "en",
            "Many dangers wait for thee, for the world is hard and cold.",
            "The world is hard and cold for the poor child in the cradle.",
        ),
        (
            "fr",
            "Bien des dangers t'attendent, car ton monde est dur et froid.",
            "Le monde est dur et froid pour le pauvre enfant dans son berceau.",
        ),
        (
            "es",
            "Muchos peligros te esperan, porque tu mundo es duro y frío.",
            "El mundo es duro y frío para el pobre niño en su cuna.",
        ),
        (
            "pt",
            "Muitos perigos te esperam, porque o teu mundo é duro e frio.",
            "O mundo é duro e frio para a pobre criança no seu berço.",
        ),
    ],
)
def test_a_sentence_said_to_thee_is_addressed_and_a_description_is_not(
    language: str, addressed: str, described: str
) -> None:
    assert ADDRESSED in _features(addressed, language)
    assert ADDRESSED not in _features(described, language)


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
    text = "Der Vater ging hinaus, die Schwester aber flüsterte: »Mach auf, ich bitte dich.«"
    assert "dich" not in narrated(text)
    assert ADDRESSED not in _features(text, "de")


ZENO = (
    "Vedo un bambino in fasce nella culla, e non mi somiglia affatto.\n\n"
    "Troppi pericoli ci sono per te, perché il mondo è duro e freddo.\n\n"
    "Quando arriverai a sapere che sarebbe bene ricordare la tua vita?\n\n"
    "Il bambino dorme tranquillo e la madre lo guarda in silenzio."
)


def _spoken_to_of(opening: str) -> bool:
    lexicon = lexicon_for("it")
    parsed = parse_section(ZENO, lexicon)
    words = _words(lexicon, parsed, "story")
    found = [
        c
        for c in _candidates(parsed, lexicon, words, None, "story")
        if c.sentence is not None and c.sentence.text.startswith(opening)
    ]
    assert found
    return any(_spoken_to(c) for c in found)


def test_a_statement_said_to_thee_leans_on_the_apostrophe_a_question_put_to_thee_does_not() -> None:
    assert _spoken_to_of("Troppi pericoli")
    assert not _spoken_to_of("Quando arriverai")
    assert not _spoken_to_of("Vedo un bambino")
