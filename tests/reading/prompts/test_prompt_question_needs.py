"""A question is asked only of a sentence that has what it asks about: an impression needs
words of feeling, judgment or picture; a similar situation needs someone feeling something;
"what does it lead you to expect" needs an arrival or a turn; a picture is not asked of where
people stand or of a scrap; a narrator bidding the reader along is a word to the reader; a
character's question with no name in its tag asks who asks it; and a speech's tag before its
opening mark names its speaker, an aside between name and verb or not."""

from __future__ import annotations

import pytest

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.engine import story_speakers
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentence_kinds import (
    ARRIVAL,
    ASIDE,
    CHARGED,
    FEELING,
    PLACED,
    SCRAP,
    sentence_features,
    statement_class,
    tone_features,
)
from bot.reading.prompts.sentences import parse_section
from bot.reading.prompts.speakers import speaker_in_open_speech
from tests.reading.prompts.story_templates import story_templates_fitting

LANGUAGES = ("en", "es", "fr", "it", "pt", "de")


def test_words_of_feeling_judgment_and_arrival_are_found_in_their_inflections() -> None:
    en, es = lexicon_for("en"), lexicon_for("es")
    assert {FEELING, CHARGED} <= tone_features("The baker was frightened of the dark.", en)
    assert tone_features("A strange light lay on the hills.", en) == {CHARGED}
    assert ARRIVAL in tone_features("The carter came in with the letters.", en)
    assert CHARGED in tone_features("Las casas eran extrañas y tristes.", es)
    assert tone_features("The carter put the letters on the shelf.", en) == set()


def test_a_likeness_paints_whatever_its_words() -> None:
    assert CHARGED in tone_features("The cart moved like a slow boat.", lexicon_for("en"))


def test_where_people_stand_is_placed_and_a_few_words_a_scrap() -> None:
    en = lexicon_for("en")
    assert PLACED in tone_features("The baker and the carter were on the far side of the road.", en)
    assert PLACED not in tone_features("The gate was broken by the storm.", en)
    assert SCRAP in tone_features("Even at noon.", en)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_impression_is_asked_only_of_words_that_carry_one(language: str) -> None:
    struck = "central.evaluative.story.struck"
    flat = story_templates_fitting(language, "central", "evaluative", {"event"})
    charged = story_templates_fitting(language, "central", "evaluative", {"event", CHARGED})
    assert struck not in flat
    assert struck in charged
    assert struck not in story_templates_fitting(
        language, "central", "evaluative", {"event", CHARGED, SCRAP}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_similar_situation_needs_someone_feeling_something(language: str) -> None:
    plain = story_templates_fitting(language, "central", "evaluative", {"event", "person"})
    felt = story_templates_fitting(
        language, "central", "evaluative", {"event", "person", FEELING, CHARGED}
    )
    assert "central.evaluative.story" not in plain
    assert "central.evaluative.story" in felt


@pytest.mark.parametrize("language", ["en", "es", "it", "pt", "de"])
def test_what_to_expect_is_asked_only_of_an_arrival_or_a_turn(language: str) -> None:
    narrator = "central.interpretive.narrator"
    assert narrator not in story_templates_fitting(
        language, "central", "interpretive", {"description"}
    )
    assert narrator in story_templates_fitting(
        language, "central", "interpretive", {"description", ARRIVAL}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_picture_is_not_asked_of_a_position_or_a_plain_line(language: str) -> None:
    plain = story_templates_fitting(language, "central", "factual", {"description"})
    placed = story_templates_fitting(
        language, "central", "factual", {"description", PLACED, CHARGED}
    )
    painted = story_templates_fitting(language, "central", "factual", {"description", CHARGED})
    assert "central.factual.portrait" not in plain
    assert "central.factual.portrait" not in placed
    assert "central.factual.portrait" in painted


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_characters_unnamed_question_asks_who_asks_it(language: str) -> None:
    unnamed = story_templates_fitting(language, "question", "interpretive", {"spoken", "asking"})
    named = story_templates_fitting(
        language, "question", "interpretive", {"spoken", "asking", "speaker"}
    )
    narrator = story_templates_fitting(language, "question", "interpretive", {"asking"})
    assert unnamed == ["question.interpretive.story.who"]
    assert "question.interpretive.story.who" not in named
    assert "question.interpretive.story" in narrator


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Let us now leave the town and follow the river."),
        ("pt", "Voltemos agora à estalagem, onde o moleiro ainda dorme."),
        ("fr", "Revenons maintenant à notre voyageur, resté seul sur la route."),
    ],
)
def test_a_narrator_bidding_the_reader_along_speaks_to_the_reader(language: str, text: str) -> None:
    assert statement_class(text, lexicon_for(language)) == ASIDE


def test_a_character_bidding_others_along_is_not_an_aside() -> None:
    text = "“Let us now leave the town and follow the river,” said the carter."
    assert statement_class(text, lexicon_for("en")) != ASIDE


def test_a_speech_opened_after_a_tag_with_an_aside_is_its_speakers() -> None:
    en = lexicon_for("en")
    text = (
        "The miller sat by the fire.\n\n"
        "At that Mrs. Hobbs, still holding the bread knife, said, “The roof can wait. "
        "Who would climb up there in this wind?” The miller said nothing."
    )
    parsed = parse_section(text, en)
    asked = next(s for s in parsed.sentences if s.text.startswith("Who would climb"))
    assert speaker_in_open_speech(parsed, asked, en) == "Mrs. Hobbs"
    features = sentence_features(asked, parsed, en)
    assert "answered" in features


def test_a_tag_far_from_the_opening_mark_names_no_one() -> None:
    en = lexicon_for("en")
    text = (
        "The miller sat by the fire.\n\n"
        "Mrs. Hobbs said nothing for an hour, and the fire went low, “The roof can wait. "
        "Who would climb up there in this wind?”"
    )
    parsed = parse_section(text, en)
    asked = next(s for s in parsed.sentences if s.text.startswith("Who would climb"))
    assert speaker_in_open_speech(parsed, asked, en) is None
    assert story_speakers([], parsed, en) == []


def test_a_question_any_sentence_can_take_is_asked_only_when_none_fitted_fits() -> None:
    flat = (
        "The carter put the sacks on the cart and drove to the mill by the river road.\n\n"
        "The miller counted the sacks and wrote the number in his book by the door.\n\n"
        "Then the carter drove back along the river road to the farm before noon."
    )
    prompts = generate_prompts(flat, language="en", kind=TextKind.STORY).prompts
    assert {p.kind for p in prompts} == {"factual", "interpretive", "evaluative"}
    assert "en.central.evaluative.story.plain" in [p.template for p in prompts]
    painted = flat + "\n\nThe mill was a strange, dark house with a pale and gloomy yard."
    templates = [
        p.template for p in generate_prompts(painted, language="en", kind=TextKind.STORY).prompts
    ]
    assert "en.central.evaluative.story.plain" not in templates
