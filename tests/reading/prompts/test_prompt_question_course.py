"""What a story's sentence is asked fits what it tells: "what leads up to this, and what comes
of it?" only of something done, planned, meant or decided; "how would you tell this moment?"
only of a thing done once; a description is asked what it shows, and the narrator's own
whether the readers know it too; a question with its tag leaves no impression to name, but a
tag telling how the words are said is asked about; and a question names its asker once."""

from __future__ import annotations

import re

import pytest

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import (
    COURSE,
    DESCRIPTION,
    EVENT,
    HABIT,
    PLAN,
    statement_class,
)
from tests.reading.prompts.first_sentence import first_sentence_features
from tests.reading.prompts.story_templates import story_templates_fitting

LANGUAGES = ("en", "es", "fr", "it", "pt", "de")
LEAD = "central.factual.story.lead"
TOLD = "central.evaluative.story.plain"
SHOWN = "central.factual.story.shown"
KNOWN = "central.evaluative.story.known"


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_leads_up_and_what_comes_of_it_is_asked_only_of_a_course(language: str) -> None:
    assert LEAD not in story_templates_fitting(language, "central", "factual", {DESCRIPTION})
    assert LEAD in story_templates_fitting(language, "central", "factual", {EVENT, COURSE})
    assert LEAD in story_templates_fitting(language, "central", "factual", {DESCRIPTION, COURSE})


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The carter wanted to cross the river before dark."),
        ("de", "Zuerst wollte der Müller mit dem Karren über die Brücke fahren."),
        ("es", "El molinero quiso cruzar el río antes de la noche."),
        ("fr", "Le meunier voulut traverser la rivière avant la nuit."),
        ("it", "Il mugnaio volle attraversare il fiume prima di notte."),
        ("pt", "O moleiro tentou atravessar o rio antes da noite."),
    ],
)
def test_someone_meaning_to_do_something_sets_a_course(language: str, text: str) -> None:
    assert COURSE in first_sentence_features(text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The river was wide and brown under the old bridge."),
        ("es", "El río era ancho y pardo bajo el puente viejo."),
        ("pt", "O rio era largo e pardo debaixo da ponte velha."),
    ],
)
def test_a_view_sets_no_course(language: str, text: str) -> None:
    assert COURSE not in first_sentence_features(text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Tomorrow I dine at the miller's house by the river."),
        ("es", "Mañana como en casa del molinero, junto al río."),
        ("fr", "Demain je dîne chez le meunier, près de la rivière."),
    ],
)
def test_what_is_to_be_done_tomorrow_is_a_plan(language: str, text: str) -> None:
    features = first_sentence_features(text, language)
    assert PLAN in features
    assert COURSE in features


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_moment_to_tell_is_asked_only_of_a_thing_done_once(language: str) -> None:
    assert TOLD in story_templates_fitting(language, "central", "evaluative", {EVENT})
    assert TOLD not in story_templates_fitting(language, "central", "evaluative", {DESCRIPTION})
    assert TOLD not in story_templates_fitting(language, "central", "evaluative", {EVENT, HABIT})


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "At village dinners, and when the ale was good, he sang to the guests."),
        ("es", "Cada domingo el molinero iba a la iglesia con su mujer."),
        ("fr", "Tous les soirs le meunier fumait sa pipe devant la porte."),
        ("it", "Ogni sera il mugnaio fumava la pipa davanti alla porta."),
        ("pt", "Todas as noites o moleiro fumava o cachimbo à porta."),
        ("de", "Jeden Abend rauchte der Müller seine Pfeife vor der Tür."),
    ],
)
def test_what_someone_did_again_and_again_is_a_habit(language: str, text: str) -> None:
    assert HABIT in first_sentence_features(text, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_description_is_asked_what_it_shows(language: str) -> None:
    assert SHOWN in story_templates_fitting(language, "central", "factual", {DESCRIPTION})
    assert SHOWN not in story_templates_fitting(language, "central", "factual", {EVENT, COURSE})
    assert SHOWN not in story_templates_fitting(
        language, "central", "factual", {DESCRIPTION, "spoken"}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_only_the_narrators_own_description_asks_whether_readers_know_it(language: str) -> None:
    assert KNOWN in story_templates_fitting(
        language, "central", "evaluative", {DESCRIPTION, "personal", "charged"}
    )
    assert KNOWN not in story_templates_fitting(language, "central", "evaluative", {DESCRIPTION})
    assert KNOWN not in story_templates_fitting(
        language, "central", "evaluative", {DESCRIPTION, "personal"}
    )


def test_a_verb_of_saying_in_narration_is_a_thing_done() -> None:
    en, pt = lexicon_for("en"), lexicon_for("pt")
    assert statement_class("When he was nine he began lessons with the priest.", en) == EVENT
    assert statement_class("A virtude é o seu próprio prémio, disse um sábio antigo.", pt) != EVENT
    assert statement_class("“Well,” began the carter, “here we are.”", en) != EVENT


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_question_with_its_tag_leaves_no_impression_to_name(language: str) -> None:
    struck = "central.evaluative.story.struck"
    assert struck in story_templates_fitting(
        language, "central", "evaluative", {DESCRIPTION, "charged"}
    )
    assert struck not in story_templates_fitting(
        language, "central", "evaluative", {DESCRIPTION, "charged", "asking"}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_tag_telling_how_a_line_is_said_asks_what_lies_behind_it(language: str) -> None:
    tagged = "central.interpretive.story.tagged"
    felt = {DESCRIPTION, "spoken", "speaker", "feeling", "charged"}
    assert tagged in story_templates_fitting(language, "central", "interpretive", felt)
    assert tagged not in story_templates_fitting(
        language, "central", "interpretive", felt - {"feeling"}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_question_names_its_asker_once(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    twice = re.compile(r"\{speaker\}[^?]*\b(?:about|über|de|sobre)\s+\{speaker\}")
    assert [t.id for t in templates.templates if twice.search(t.text)] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_narrator_turning_to_the_reader_is_not_said_to_break_off(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    (aside,) = [t for t in templates.templates if t.id == f"{language}.central.interpretive.aside"]
    broken = ("break off", "unterbricht", "interrumpe", "interrompt", "interrompe")
    assert not any(word in aside.text for word in broken)


def test_a_question_any_sentence_can_take_goes_to_a_sentence_before_a_scrap() -> None:
    text = (
        "Even on Sunday.\n\n"
        "Mara kept the shop by the harbour, and she wrote the accounts every night.\n\n"
        "Tomas came in at noon and sat down by the stove with his pipe. "
        "The shop was a narrow room with one window on the street and a stove in the corner."
    )
    prompts = generate_prompts(text, language="en", kind=TextKind.STORY).prompts
    (evaluative,) = [p for p in prompts if p.kind == "evaluative"]
    assert evaluative.template == "en.central.evaluative.story.reader"
    assert evaluative.quote is not None
    assert evaluative.quote.startswith("The shop was a narrow room")
