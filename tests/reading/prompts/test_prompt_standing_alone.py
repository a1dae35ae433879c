"""Quotes that stand on their own, and characters' words never given to the narrator."""

from __future__ import annotations

import re

import pytest

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.engine import section_candidates, section_words
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentence_kinds import in_speech
from bot.reading.prompts.sentences import parse_section

FATHER = (
    "Le vieux tonnelier appela son fils dans l'atelier et lui parla longuement.\n\n"
    "« Mon fils, dit-il, M. Lambrac a commencé comme vous. Plus tard, M. Lambrac franchit "
    "le col avec ses mules dans son premier hiver là-haut, trois fois. Faites comme lui. »\n\n"
    "Le garçon ferma les yeux, prit le sac de clous et descendit vers le port."
)


def test_a_sentence_inside_an_open_quotation_is_a_characters_words() -> None:
    lexicon = lexicon_for("fr")
    parsed = parse_section(FATHER, lexicon)
    by_text = {s.text.split(",")[0]: s for s in parsed.sentences}
    assert in_speech(by_text["Plus tard"], parsed)
    assert not in_speech(by_text["Le garçon ferma les yeux"], parsed)
    assert not in_speech(
        by_text["Le vieux tonnelier appela son fils dans l'atelier et lui parla longuement."],
        parsed,
    )


@pytest.mark.parametrize(
    ("language", "text", "narrator"),
    [
        ("fr", FATHER, "narrateur"),
        (
            "en",
            "The old cooper called his son into the workshop.\n\n"
            "“My son,” he said, “Lambrac began as you do. Later, Lambrac crossed the pass with "
            "his mules in his first winter up there, three times. Do as he did.”\n\n"
            "The boy shut his eyes, took the bag of nails and walked down to the harbour.",
            "narrator",
        ),
    ],
)
def test_a_fathers_speech_is_never_asked_of_as_the_narrators(
    language: str, text: str, narrator: str
) -> None:
    prompts = generate_prompts(text, language=language, kind=TextKind.STORY).prompts
    assert prompts
    for prompt in prompts:
        if prompt.quote and narrator in prompt.text:
            assert "Lambrac" not in prompt.quote, prompt.text


@pytest.mark.parametrize(
    ("language", "text", "opener"),
    [
        (
            "de",
            "Der Garten ist ein altes Haus, und die Gärtner haben ihn schlecht gepflegt.\n\n"
            "Der Winter hat die Beete zugedeckt, und der Frost hat eine lange Stille "
            "gebracht. Diese Stille empfindet der fleißige Gärtner als Verlust.",
            "Diese Stille",
        ),
        (
            "fr",
            "Le meunier cherche dans ses vieux registres ce que personne n'a compté avant lui.\n\n"
            "Le passant ordinaire longe le moulin sans voir les sacs empilés sous le toit. Mais "
            "ce détail compte davantage pour le meunier que pour tous les passants du chemin.",
            "Mais",
        ),
        (
            "en",
            "The baker had kneaded dough all through the night, getting ready for the fair.\n\n"
            "The girl carried the loaves across the square to the stall by the fountain. She "
            "watched the crowd for a long time and said nothing to her new friend.",
            "She",
        ),
    ],
)
def test_a_quote_leaning_on_the_sentence_before_gives_way_to_one_that_stands_alone(
    language: str, text: str, opener: str
) -> None:
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    candidates = section_candidates(parsed, lexicon, words, None, TextKind.STORY)
    central = [c.sentence for c in candidates if c.move == "central" and c.sentence is not None]
    assert central
    assert not any(sentence.text.startswith(opener) for sentence in central)
    prompts = generate_prompts(text, language=language, kind=TextKind.STORY).prompts
    assert prompts
    for prompt in prompts:
        assert not (prompt.quote or "").startswith(opener), prompt.text


def test_a_question_nobody_is_named_for_is_not_asked_about_the_one_asking() -> None:
    text = (
        "The baker sat by the oven and watched the bread rise all the long evening.\n\n"
        "The fire burned low and red under the bricks. “Is it always like this?” The "
        "bells rang out over the square, and the lamps went dark one by one."
    )
    prompts = generate_prompts(text, language="en", kind=TextKind.STORY).prompts
    assert prompts
    assert not any(re.search(r"person asking|one who asks", p.text) for p in prompts)
