"""A paragraph opened by a dialogue dash is a character's words to its end: a Spanish
speaker's later sentences ("-La Nela es … Al poco rato … acordeme …") are not asked about
as the narrator's telling, and the narrator's question speaks to the readers in one voice."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import in_speech
from bot.reading.prompts.sentences import parse_section

TEMPLATES = Path(__file__).parents[3] / "bot" / "reading" / "prompts" / "templates"

STORY_ES = (
    "Tras la lluvia vino una tarde clara y fría sobre el valle de Socartes. El médico "
    "subía despacio por la vereda, buscando el camino de las minas entre los árboles.\n\n"
    "-¿Quién anda por ahí? -preguntó una voz desde el prado.\n\n"
    "-La Nela es una muchacha que me acompaña; es mi lazarillo. Al volver del prado grande "
    "me acordé de que un amigo había quedado en esperarme en casa, y salí sin ella. "
    "Después encontré a usted junto al puente viejo.\n\n"
    "-Sí, señor, de nacimiento -repuso el ciego con naturalidad. No conozco el mundo más "
    "que por el tacto y el oído.\n\n"
    "El médico miró largamente al muchacho. Pensó en sus libros y en la ciudad lejana, "
    "y sintió de pronto una piedad nueva por aquel niño que guiaba a otros en la noche.\n\n"
    "Cuando salieron al llano, el primer ruido que oyeron fue el canto melancólico de la "
    "muchacha. El médico se detuvo a escucharlo, sorprendido por la tristeza de la voz."
)


def _sentence(parsed, opening: str):
    return next(s for s in parsed.sentences if s.text.startswith(opening))


def test_a_later_sentence_in_a_dashed_paragraph_is_the_speaker_s() -> None:
    parsed = parse_section(STORY_ES, lexicon_for("es"))
    assert in_speech(_sentence(parsed, "Al volver del prado"), parsed)
    assert in_speech(_sentence(parsed, "Después encontré"), parsed)
    # A tag in the paragraph does not hand the rest back to the narrator.
    assert in_speech(_sentence(parsed, "No conozco el mundo"), parsed)


def test_the_narrator_s_paragraphs_stay_the_narrator_s() -> None:
    parsed = parse_section(STORY_ES, lexicon_for("es"))
    assert not in_speech(_sentence(parsed, "Pensó en sus libros"), parsed)
    assert not in_speech(_sentence(parsed, "El médico subía"), parsed)


SPEECH_ES = (
    "La tarde caía sobre el valle de Socartes, y el médico buscaba todavía el camino de "
    "las minas.\n\n"
    "-¿Quién anda por ahí? -preguntó una voz desde el prado.\n\n"
    "-La Nela es una muchacha que me acompaña; es mi lazarillo. Al poco rato de estar en "
    "la cabaña, acordeme de que un amigo había quedado en esperarme en casa. No tuve "
    "paciencia para aguardar a la Nela, y salí solo con mi perro.\n\n"
    "El médico miró largamente al muchacho, y sintió de pronto una piedad nueva por aquel "
    "niño."
)


def test_a_speaker_s_words_get_no_question_meant_for_the_narrator() -> None:
    templates = templates_for("es")
    assert templates is not None
    by_id = {t.id: t for t in templates.templates}
    prompts = generate_prompts(SPEECH_ES, language="es", kind="story").prompts
    speech = ("La Nela es", "Al poco rato", "No tuve")  # the lines of the boy's speech
    spoken = [p for p in prompts if (p.quote or "").startswith(speech)]
    assert spoken
    for prompt in spoken:
        assert "spoken" not in by_id[prompt.template].excludes, prompt.text


def test_the_narrator_question_speaks_to_the_readers_in_one_voice() -> None:
    data = tomllib.loads((TEMPLATES / "es.toml").read_text(encoding="utf-8"))
    narrator = next(t for t in data["templates"] if t["id"] == "central.interpretive.narrator")
    assert "nos cuenta" in narrator["text"]
    assert " les " not in narrator["text"]
