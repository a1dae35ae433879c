"""A maxim in a story is asked whether the readers agree; "what does this call up from your
own life?" only of a description where someone feels or judges, and a likeness is asked as an
image; a plan is asked as a plan and a supposition as one; a sentence opening on a bare copula
("É a carta com que …") leans on the sentence before."""

from __future__ import annotations

import pytest

from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentence_kinds import (
    CHARGED,
    DESCRIPTION,
    GENERAL,
    LIKENESS,
    PLAN,
    SUPPOSED,
)
from tests.reading.prompts.first_sentence import first_sentence_features
from tests.reading.prompts.story_templates import story_templates_fitting

LANGUAGES = ("en", "es", "fr", "it", "pt", "de")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Patience is the mother of all good counsel, said an old sage."),
        ("en", "It is the habit of a careful baker to rise before the sun."),
        ("es", "La paciencia es la madre de la ciencia, dijo un sabio."),
        ("fr", "La patience est la mère de toutes les vertus."),
        ("it", "La pazienza è la madre di ogni virtù, dice il proverbio."),
        ("pt", "A paciência é a mãe de todas as virtudes, disse um sábio antigo."),
        ("de", "Die Geduld ist die Mutter aller Tugenden, sagte ein Weiser."),
    ],
)
def test_a_maxim_in_a_story_is_a_general_statement(language: str, text: str) -> None:
    assert GENERAL in first_sentence_features(text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The patience of the miller was the talk of the village."),
        ("pt", "O moleiro era o homem mais paciente da aldeia."),
        ("es", "El molinero subió la cuesta con su carro."),
    ],
)
def test_a_story_line_about_someone_is_no_maxim(language: str, text: str) -> None:
    assert GENERAL not in first_sentence_features(text, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_maxim_is_asked_whether_the_readers_agree(language: str) -> None:
    assert "central.evaluative.general" in story_templates_fitting(
        language, "central", "evaluative", {GENERAL}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_own_life_is_asked_only_where_someone_feels_or_judges(language: str) -> None:
    flat = story_templates_fitting(language, "central", "evaluative", {DESCRIPTION, "person"})
    assert "central.evaluative.story.known.person" not in flat
    charged = story_templates_fitting(
        language, "central", "evaluative", {DESCRIPTION, "person", CHARGED}
    )
    assert "central.evaluative.story.known.person" in charged


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_likeness_is_asked_as_an_image_not_as_a_life(language: str) -> None:
    fitting = story_templates_fitting(
        language, "central", "evaluative", {DESCRIPTION, "person", CHARGED, LIKENESS}
    )
    assert "central.evaluative.story.known.person" not in fitting
    assert "central.evaluative.story.likeness" in fitting


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "In the attic stood old trunks, like the hulls of boats left on the sand."),
        ("es", "En el desván había baúles viejos, como cascos de barcas varadas en la arena."),
        ("pt", "No sótão havia baús velhos, como cascos de barcos encalhados na areia."),
        ("fr", "Au grenier dormaient de vieilles malles, comme des barques échouées."),
        ("it", "In soffitta dormivano vecchi bauli, come dei gusci di barche arenate."),
    ],
)
def test_a_likeness_is_found(language: str, text: str) -> None:
    assert LIKENESS in first_sentence_features(text, language)


@pytest.mark.parametrize(
    ("language", "arranged", "supposed"),
    [
        ("en", "Tomorrow I dine at the miller's house.", "If he let himself fall, he would drown."),
        (
            "es",
            "Mañana como en casa del molinero.",
            "Si se dejara caer, se ahogaría y sería el fin.",
        ),
        ("fr", "Demain je dîne chez le meunier.", "S'il se laissait tomber, ce serait la fin."),
        ("it", "Domani pranzo dal mugnaio.", "Se si lasciasse cadere, sarebbe la fine."),
        ("pt", "Amanhã janto em casa do moleiro.", "Se se deixasse cair, seria o fim."),
        ("de", "Morgen esse ich beim Müller.", "Wenn er sich fallen ließe, wäre es das Ende."),
    ],
)
def test_a_plan_arranged_is_no_supposition(language: str, arranged: str, supposed: str) -> None:
    plan = first_sentence_features(arranged, language)
    assert PLAN in plan
    assert SUPPOSED not in plan
    assert {PLAN, SUPPOSED} <= first_sentence_features(supposed, language)
    as_plan = story_templates_fitting(language, "central", "interpretive", {PLAN, "person"})
    as_supposed = story_templates_fitting(
        language, "central", "interpretive", {PLAN, SUPPOSED, "person"}
    )
    assert "central.interpretive.plan" in as_plan
    assert "central.interpretive.plan.supposed" not in as_plan
    assert "central.interpretive.plan.supposed" in as_supposed
    assert "central.interpretive.plan" not in as_supposed


@pytest.mark.parametrize(
    ("language", "leaning", "standing"),
    [
        ("pt", "É a carta com que o moleiro respondeu.", "É preciso que o moleiro responda."),
        ("es", "Es el molino de que le hablé.", "Es preciso que el molinero responda."),
        ("it", "È il mulino di cui ti parlai.", "È necessario che il mugnaio risponda."),
        ("fr", "C'est un homme de quarante ans.", "C'est alors que le meunier répondit."),
        ("en", "It is the mill I told you of.", "It is the habit of bakers to rise early."),
        ("de", "Das ist ein Mann von vierzig Jahren.", "Es ist kalt heute am Fluss."),
    ],
)
def test_a_sentence_opening_on_a_bare_copula_leans(
    language: str, leaning: str, standing: str
) -> None:
    points_back = lexicon_for(language).points_back
    assert points_back is not None
    assert points_back.search(leaning)
    assert not points_back.search(standing)
