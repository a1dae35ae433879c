"""A line deep in a long speech is its speaker's: the tag that named them earlier in the
paragraph ("poursuivit M. Kerbrat fils") names them in the prompt too."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentences import parse_section
from bot.reading.prompts.speakers import speaker_in_open_speech

STORY = """\
Le mousse attendait sur le pont, les mains dans les poches, pendant que l'équipage roulait \
des tonneaux vers la cale.

«Petit, avait dit le maître d'équipage, tu dormiras dans le hamac près de la cambuse. Au \
port, poursuivit M. Kerbrat fils, tu resteras à bord avec le cuisinier. Je ne veux te voir \
ni sur le quai ni dans les tavernes, même un dimanche. Tiens-le-toi pour dit.»

Le mousse hocha la tête, descendit l'échelle de la cale et alla ranger son sac sous le hamac."""


def test_a_line_deep_in_a_speech_has_the_speaker_its_tag_named() -> None:
    lexicon = lexicon_for("fr")
    parsed = parse_section(STORY, lexicon)
    line = next(s for s in parsed.sentences if s.text.startswith("Je ne veux"))
    assert speaker_in_open_speech(parsed, line, lexicon) == "M. Kerbrat fils"
    opening = next(s for s in parsed.sentences if s.text.startswith("Le mousse attendait"))
    assert speaker_in_open_speech(parsed, opening, lexicon) is None


def test_a_line_of_a_long_speech_is_asked_of_as_its_speakers() -> None:
    prompts = generate_prompts(STORY, language="fr", kind=TextKind.STORY).prompts
    quoting = [p for p in prompts if p.quote and p.quote.startswith("Je ne veux")]
    assert quoting
    assert all("M. Kerbrat fils" in p.text for p in quoting)
