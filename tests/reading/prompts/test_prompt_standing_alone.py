"""Quotes that stand on their own, and characters' words never given to the narrator."""

from __future__ import annotations

import re

import pytest

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.engine import _candidates, _words
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentence_kinds import in_speech
from bot.reading.prompts.sentences import parse_section

FATHER = (
    "Le vieux gentilhomme appela son fils dans la cour et lui parla longuement.\n\n"
    "« Mon fils, dit-il, M. de Tréville a commencé comme vous. Plus tard, M. de Tréville se "
    "battit contre d'autres dans son premier voyage à Paris, cinq fois. Faites comme lui. »\n\n"
    "Le jeune homme baissa la tête, prit la lettre et monta sur son cheval jaune."
)


def test_a_sentence_inside_an_open_quotation_is_a_characters_words() -> None:
    lexicon = lexicon_for("fr")
    parsed = parse_section(FATHER, lexicon)
    by_text = {s.text.split(",")[0]: s for s in parsed.sentences}
    assert in_speech(by_text["Plus tard"], parsed)
    assert not in_speech(by_text["Le jeune homme baissa la tête"], parsed)
    assert not in_speech(
        by_text["Le vieux gentilhomme appela son fils dans la cour et lui parla longuement."],
        parsed,
    )


@pytest.mark.parametrize(
    ("language", "text", "narrator"),
    [
        ("fr", FATHER, "narrateur"),
        (
            "en",
            "The old man called his son into the yard.\n\n"
            "“My son,” he said, “Tréville began as you do. Later, Tréville fought five duels on "
            "his first journey to Paris, and won them all. Do as he did.”\n\n"
            "The young man bowed his head, took the letter and rode away on his yellow horse.",
            "narrator",
        ),
    ],
)
def test_a_fathers_speech_is_never_asked_of_as_the_narrators(
    language: str, text: str, narrator: str
) -> None:
    prompts = generate_prompts(text, language=language, kind="story").prompts
    assert prompts
    for prompt in prompts:
        if prompt.quote and narrator in prompt.text:
            assert "Tréville" not in prompt.quote, prompt.text


@pytest.mark.parametrize(
    ("language", "text", "opener"),
    [
        (
            "de",
            "Die Wahrheit ist ein Weib, und die Philosophen haben sie schlecht umworben.\n\n"
            "Der Platonismus hat den Bogen gespannt, und der Geist hat eine prachtvolle "
            "Spannung geschaffen. Diese Spannung empfindet der europäische Mensch als Nothstand.",
            "Diese Spannung",
        ),
        (
            "fr",
            "Le poète cherche dans les vieux livres ce que personne n'a remarqué avant lui.\n\n"
            "Le lecteur ordinaire passe sans voir les noms étranges des vieux mémoires. Mais ce "
            "qui frappe le poète n'est pas toujours ce qui impressionne la masse des lecteurs.",
            "Mais",
        ),
        (
            "en",
            "The Mole had been working very hard all the morning, spring-cleaning his home.\n\n"
            "The Rat rowed the boat across the river to the far bank under the willows. He "
            "looked at the water for a long time and said nothing to his new friend.",
            "He",
        ),
    ],
)
def test_a_quote_leaning_on_the_sentence_before_gives_way_to_one_that_stands_alone(
    language: str, text: str, opener: str
) -> None:
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    words = _words(lexicon, parsed, "story")
    candidates = _candidates(parsed, lexicon, words, None, "story")
    central = [c for c in candidates if c.move == "central" and c.sentence is not None]
    assert central
    assert not any(c.sentence.text.startswith(opener) for c in central)
    prompts = generate_prompts(text, language=language, kind="story").prompts
    assert prompts
    for prompt in prompts:
        assert not (prompt.quote or "").startswith(opener), prompt.text


def test_a_question_nobody_is_named_for_is_not_asked_about_the_one_asking() -> None:
    text = (
        "The Mole sat on the bank and watched the river go by all the long afternoon.\n\n"
        "The water ran fast and bright under the willows. “Is it always like this?” The "
        "sun went down behind the hills, and the birds fell silent one by one."
    )
    prompts = generate_prompts(text, language="en", kind="story").prompts
    assert prompts
    assert not any(re.search(r"person asking|one who asks", p.text) for p in prompts)
