"""Questions fitted to what a story's line holds: "what effect does this sentence have on you?"
is not asked of a bare line, with no one in it and no word of feeling or picture ("The sun
rises faster than it did yesterday"); a plan arranged for a day to come ("Tomorrow I dine
at …") is asked what it leads the readers to expect, not what is planned, which it says
whole; and a Portuguese quote opening on a link that weighs it against what came before
("Contudo, …") leans on the sentence before."""

from __future__ import annotations

import pytest

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.engine import section_candidates, section_words
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import BARE, PLAN
from bot.reading.prompts.sentences import parse_section
from tests.reading.prompts.story_candidates import candidates_on

READER = "central.evaluative.story.reader"


PT_STORY = (
    "O Manuel desceu do barco com o seu irmão e olhou para a vila deserta.\n\n"
    "A maré sobe mais depressa do que hontem.\n\n"
    "Eu sentei-me à sombra de uma oliveira e fiquei a ver o rio correr devagar.\n\n"
    "O Manuel foi buscar água ao poço da praça e voltou com um cântaro cheio."
)


@pytest.mark.parametrize(
    ("language", "text", "opening"),
    [
        ("pt", PT_STORY, "A maré sobe"),
        ("es", "Juan bajó al río con su hermano.\n\nLa marea sube más que ayer.", "La marea"),
        (
            "en",
            "John went down to the river.\n\nThe tide rises faster than it did yesterday.",
            "The tide",
        ),
    ],
)
def test_a_line_with_no_one_and_nothing_felt_is_bare(
    language: str, text: str, opening: str
) -> None:
    found, _ = candidates_on(text, opening, language)
    assert all(BARE in c.features for c in found)


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        # The narrator and company: "our boat".
        ("N'aquella casa o nosso quarto dava para o pátio das galinhas.", "N'aquella"),
        # The narrator alone: "I sat down".
        ("Eu sentei-me à sombra de uma oliveira e fiquei a ver o rio.", "Eu sentei-me"),
        # Someone named.
        ("O Manuel foi buscar água ao poço da praça.", "O Manuel"),
        # A word of feeling.
        ("A tarde caiu triste sobre a vila e sobre o rio.", "A tarde"),
    ],
)
def test_a_line_with_someone_or_something_felt_is_not_bare(text: str, opening: str) -> None:
    story = f"{text}\n\nO Manuel desceu do barco com o seu irmão e olhou para a vila deserta."
    found, _ = candidates_on(story, opening, "pt")
    assert all(BARE not in c.features for c in found)


def test_no_german_line_is_bare_since_a_name_cannot_be_told_from_a_noun() -> None:
    text = "Die Flut steigt schneller als gestern.\n\nMartin ging langsam zum Hafen."
    found, _ = candidates_on(text, "Die Flut", "de")
    assert all(BARE not in c.features for c in found)


def test_the_effect_of_a_bare_line_is_asked_of_another_line() -> None:
    prompts = generate_prompts(PT_STORY, language="pt", kind=TextKind.STORY).prompts
    evaluative = [p for p in prompts if p.kind == "evaluative"]
    assert evaluative
    assert all(p.quote is None or not p.quote.startswith("A maré sobe") for p in evaluative)


def test_a_bare_line_is_still_asked_about_rather_than_a_sentence_asked_about_twice() -> None:
    # Each of the three kinds on a sentence of its own: the bare line is the one left.
    text = (
        "O Manuel desceu do barco e olhou para a vila.\n\n"
        "A maré sobe mais depressa do que hontem.\n\n"
        "A estrada segue pela margem do rio até à ponte velha."
    )
    prompts = generate_prompts(text, language="pt", kind=TextKind.STORY).prompts
    quotes = [p.quote for p in prompts if p.quote]
    assert len(quotes) == len(set(quotes))


@pytest.mark.parametrize(
    ("language", "planned"),
    [
        ("en", "planned"),
        ("es", "planea"),
        ("fr", "prévu"),
        ("it", "progetta"),
        ("pt", "planeia"),
        ("de", "geplant"),
    ],
)
def test_a_plan_arranged_is_asked_what_it_leads_to_expect(language: str, planned: str) -> None:
    # "Tomorrow I dine at the miller's" says the whole plan: "what is planned here?" would ask
    # the readers to repeat it.
    templates = templates_for(language)
    assert templates is not None
    fitting = [
        t
        for t in templates.templates
        if t.move == "central"
        and t.kind == "interpretive"
        and t.fits(frozenset({"story", PLAN, "person"}), {"quote": "q", "person": "P"})
        and PLAN in t.needs
    ]
    assert [t.id for t in fitting] == [f"{language}.central.interpretive.plan"]
    assert planned not in fitting[0].text


def test_a_spanish_dinner_tomorrow_is_asked_what_it_leads_to_expect() -> None:
    text = (
        "Mañana salgo temprano hacia la feria de ganado con mi primo y su mula vieja.\n\n"
        "Mi tía me enseña todas las mañanas a coser y a llevar las cuentas.\n\n"
        "El cartero me ha traído una postal vieja que nadie esperaba ya."
    )
    prompts = generate_prompts(text, language="es", kind=TextKind.STORY).prompts
    dinner = [p for p in prompts if p.quote and p.quote.startswith("Mañana salgo")]
    assert dinner
    assert all("planea" not in p.text for p in dinner)


@pytest.mark.parametrize(
    ("text", "leans"),
    [
        ("Contudo, o barco seguia devagar pelo rio acima.", True),
        ("De qualquer modo, a viagem valeu bem o cansaço.", True),
        ("No entanto o barco seguia devagar pelo rio acima.", True),
        # "Meanwhile": a time, not a link to what was said.
        ("No entretanto vamos acender o lume na cozinha da estalagem.", False),
    ],
)
def test_a_portuguese_quote_opening_on_a_link_leans_on_what_came_before(
    text: str, leans: bool
) -> None:
    # With a sentence standing on its own beside it, one that leans is not quoted at all.
    story = f"O Manuel desceu do barco com o seu irmão e olhou para a vila.\n\n{text}"
    lexicon = lexicon_for("pt")
    parsed = parse_section(story, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    candidates = section_candidates(parsed, lexicon, words, None, TextKind.STORY)
    quoted = {c.sentence.text for c in candidates if c.sentence is not None}
    assert (text not in quoted) is leans
