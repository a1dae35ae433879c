"""A story's moment showing what someone feels in what they do ("Tom read the letter twice,
laughed with sheer joy and danced a jig") comes of what has just happened and causes nothing
itself: its factual question asks what brought the feeling on, not what follows from it."""

from __future__ import annotations

import pytest

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import FEELING
from tests.reading.prompts.story_candidates import candidates_on

FEELING_QUESTION = "central.factual.story.feeling"
LANGUAGES = ("de", "en", "es", "fr", "it", "pt")

FERRY = (
    "Old Tom the ferryman had waited at the jetty since dawn for news of his daughter.\n\n"
    "All morning Tom watched the bend of the river and mended a net to pass the time.\n\n"
    "At noon the post boat came round the point, and the postman threw him a letter from the "
    "city.\n\n"
    "Tom read the letter twice, laughed with sheer joy and danced a jig on the wet planks.\n\n"
    "Then he rowed the first passengers of the day across the grey river to the market."
)

# Mr. Bright is met in the sentence that shows his joy: the section has told nothing of him
# that could have brought it on.
COACH = (
    "The rain had fallen on the village all week, and the river ran high under the bridge.\n\n"
    "Mr. Bright stepped off the coach in a green coat and laughed with sheer joy at the "
    "sight of the hills.\n\n"
    "The innkeeper carried his bags up the stairs to the room over the yard."
)

# Joy with no one named to feel it.
FAIR = (
    "The fair came to the village on the first day of May, with its wagons and its music.\n\n"
    "All the children ran to the green and shouted with sheer joy at the painted horses.\n\n"
    "By night the lanterns were lit along the road to the church."
)


def _question(language: str):
    templates = templates_for(language)
    assert templates is not None
    return next(t for t in templates.templates if t.id == f"{language}.{FEELING_QUESTION}")


def _fits(text: str, opening: str) -> list[bool]:
    found, _ = candidates_on(text, opening, "en")
    question = _question("en")
    return [question.fits(frozenset(c.features), c.slots | {"quote": ""}) for c in found]


def test_a_feeling_shown_in_what_someone_does_is_asked_what_brought_it_on() -> None:
    prompts = generate_prompts(FERRY, language="en", kind="story").prompts
    factual = [p for p in prompts if p.kind == "factual"]
    assert [p.template for p in factual] == [f"en.{FEELING_QUESTION}"]
    assert factual[0].quote is not None
    assert factual[0].quote.startswith("Tom read the letter")
    assert factual[0].text.endswith("what has just happened to make Tom feel this way?")


def test_someone_met_in_the_very_sentence_is_not_asked_what_brought_it_on() -> None:
    found, _ = candidates_on(COACH, "Mr. Bright", "en")
    assert any(FEELING in c.features and c.slots.get("person") == "Mr. Bright" for c in found)
    assert not any(_fits(COACH, "Mr. Bright"))


def test_a_feeling_no_one_named_has_is_not_asked_whose_it_is() -> None:
    found, _ = candidates_on(FAIR, "All the children", "en")
    assert any(FEELING in c.features for c in found)
    assert not any(_fits(FAIR, "All the children"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_asks_what_brought_on_the_feeling_of_someone_named(
    language: str,
) -> None:
    question = _question(language)
    assert {"event", "feeling", "person"} <= question.needs
    assert "spoken" in question.excludes
    assert "person" in question.slots  # the one whose feeling it is, named in the question
