"""A line deep in a long speech is its speaker's: the tag that named them earlier in the
paragraph ("continua M. Morel père") names them in the prompt too."""

from __future__ import annotations

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentences import parse_section
from bot.reading.prompts.speakers import speaker_in_open_speech

STORY = """\
Le jeune homme attendait dans la cour, le chapeau à la main, pendant que son cheval mangeait \
son avoine près du puits.

«Mon fils, avait dit le vieux marchand, ce cheval vous portera loin si vous le ménagez. À \
Marseille, continua M. Morel père, vous trouverez des amis de notre maison. Je n'ai à vous \
donner que vingt écus, ce cheval et une lettre pour mon cousin. Gardez-les bien.»

Le jeune homme salua son père, monta en selle et sortit par la grande porte sans se retourner."""


def test_a_line_deep_in_a_speech_has_the_speaker_its_tag_named() -> None:
    lexicon = lexicon_for("fr")
    parsed = parse_section(STORY, lexicon)
    line = next(s for s in parsed.sentences if s.text.startswith("Je n'ai"))
    assert speaker_in_open_speech(parsed, line, lexicon) == "M. Morel père"
    opening = next(s for s in parsed.sentences if s.text.startswith("Le jeune homme attendait"))
    assert speaker_in_open_speech(parsed, opening, lexicon) is None


def test_a_line_of_a_long_speech_is_asked_of_as_its_speakers() -> None:
    prompts = generate_prompts(STORY, language="fr", kind="story").prompts
    quoting = [p for p in prompts if p.quote and p.quote.startswith("Je n'ai")]
    assert quoting
    assert all("M. Morel père" in p.text for p in quoting)
