"""A plan closed by a short line of its paragraph that says what the plan means ("If the sea is
calm I cross to the harbour on Saturday. The doctor expects me.") stops before its point: the
readers would want the line too. The line must speak of the plan (point back to it or take up
its words) unless the plan is a letter's, whose writer comments on his own plans; and it is
no such line when it tells the next thing done ("She packed her bag."), when it is long, or
when the paragraph goes on."""

from __future__ import annotations

import pytest

from bot.reading.prompts.engine import language_for, point_follows, prepare_section
from bot.reading.prompts.kinds import TextKind
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentence_kinds import LETTER, PLAN

ES_GREETING = (
    "Querida hermana: Te escribo desde el faro, con la lámpara encendida y el mar en calma."
)
ES_PLAN = "Si hace buen tiempo cruzo el sábado en la barca del correo hasta el puerto."
ES_BODY = (
    "Mi tío Andrés repara las redes de los pescadores en el muelle del norte.\n\n"
    f"{ES_PLAN} Allí me espera el médico.\n\n"
    "Las casas de la isla son bajas y grises, y huelen a sal y a brea por la noche."
)
EN_GREETING = "My dear Agnes, the snow has gone from the pass at last, and the road is open."
EN_PLAN = "Tomorrow I cross the pass to the horse fair in the next valley."
DE_GREETING = "Liebe Schwester! Der Winter ist vorbei, und die Fähre fährt wieder jeden Tag."
DE_PLAN = "Morgen fahre ich mit der Fähre über den großen See zur Stadt."


def _en_letter(closing: str) -> str:
    return (
        f"{EN_GREETING}\n\n{EN_PLAN} {closing}\n\n"
        "The farm is quiet now that the lambs are sold and the barn is swept."
    )


def _points_follow(text: str, opening: str, language: str) -> list[bool]:
    """Whether each quote of the sentence opening with `opening`, quoting it alone, stops
    before its point, with the section drafted as a story."""
    drafted = prepare_section(text, language_for(language), None, TextKind.STORY)
    found = [
        c
        for c in drafted.candidates
        if c.sentence and c.sentence.text.startswith(opening) and c.quotable is None
    ]
    assert found
    assert all(PLAN in c.features for c in found)
    lexicon = lexicon_for(language)
    return [point_follows(c, drafted.parsed, drafted.words, lexicon) for c in found]


def test_a_letter_s_plan_closed_by_a_short_line_of_its_sense_stops_before_its_point() -> None:
    assert all(_points_follow(f"{ES_GREETING}\n\n{ES_BODY}", "Si hace", "es"))
    assert all(_points_follow(_en_letter("Mother thinks me quite mad."), "Tomorrow", "en"))


def test_a_german_letter_s_plan_closed_by_its_sense_stops_before_its_point() -> None:
    text = (
        f"{DE_GREETING}\n\n{DE_PLAN} Der Onkel erwartet mich dort.\n\n"
        "Im Garten blühen schon die Kirschbäume am Zaun."
    )
    assert all(_points_follow(text, "Morgen", "de"))


def test_the_same_plan_outside_a_letter_is_weighed_by_the_other_rules() -> None:
    assert not any(_points_follow(ES_BODY, "Si hace", "es"))


@pytest.mark.parametrize(
    ("text", "opening", "language"),
    [
        (
            "Nell had waited all winter for the snow to leave the pass.\n\n"
            "Tomorrow Nell will cross the pass to the horse fair in the next valley. "
            "She packed her bag.\n\n"
            "The farm was quiet after the lambs were sold.",
            "Tomorrow",
            "en",
        ),
        (
            "Paul hatte den ganzen Winter auf die Fähre gewartet.\n\n"
            "Morgen fährt Paul mit der Fähre über den großen See zur Stadt. "
            "Er packte seinen Koffer.\n\n"
            "Im Garten blühten schon die Kirschbäume am Zaun.",
            "Morgen",
            "de",
        ),
    ],
)
def test_a_plan_in_plain_narration_closed_by_a_short_line_keeps_its_point(
    text: str, opening: str, language: str
) -> None:
    assert not any(_points_follow(text, opening, language))


def test_a_letter_s_plan_followed_by_the_next_thing_done_keeps_its_point() -> None:
    assert not any(_points_follow(_en_letter("I packed my bag at once."), "Tomorrow", "en"))


def test_a_letter_s_plan_closed_by_a_line_of_nine_words_or_more_keeps_its_point() -> None:
    long_line = "Mother thinks me quite mad to go so far alone."
    assert not any(_points_follow(_en_letter(long_line), "Tomorrow", "en"))


def test_a_letter_s_plan_whose_paragraph_goes_on_keeps_its_point() -> None:
    going_on = ES_BODY.replace(
        "espera el médico.", "espera el médico. El médico tiene una casa blanca junto a la iglesia."
    )
    assert not any(_points_follow(f"{ES_GREETING}\n\n{going_on}", "Si hace", "es"))


def test_the_letters_of_these_tests_are_letters() -> None:
    drafted = prepare_section(
        _en_letter("Mother thinks me quite mad."), language_for("en"), None, TextKind.STORY
    )
    assert all(LETTER in c.features for c in drafted.candidates)


@pytest.mark.parametrize(
    ("text", "opening", "language"),
    [
        # The line takes up a word of the plan.
        (
            "Il barcaiolo guardava il cielo sopra il lago fin dal mattino.\n\n"
            "Se il vento calava, il barcaiolo avrebbe portato la barca al porto prima di sera. "
            "Ora il vento non calava più.\n\n"
            "Sulla riva le donne stendevano i panni al sole.",
            "Se il vento",
            "it",
        ),
        # The line points back to the plan.
        (
            "Nell had waited all winter for the snow to leave the pass.\n\n"
            "Tomorrow Nell will cross the pass to the horse fair in the next valley. "
            "She is glad of it.\n\n"
            "The farm was quiet after the lambs were sold.",
            "Tomorrow",
            "en",
        ),
    ],
)
def test_a_plan_in_narration_closed_by_a_short_line_speaking_of_it_stops_before_its_point(
    text: str, opening: str, language: str
) -> None:
    assert all(_points_follow(text, opening, language))


def test_a_plan_in_narration_closed_by_a_short_line_on_something_else_keeps_its_point() -> None:
    text = (
        "Nell had waited all winter for the snow to leave the pass.\n\n"
        "Tomorrow Nell will cross the pass to the horse fair in the next valley. "
        "The sky is grey.\n\n"
        "The farm was quiet after the lambs were sold."
    )
    assert not any(_points_follow(text, "Tomorrow", "en"))
