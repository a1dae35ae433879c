"""A paragraph opened by a dialogue dash is a character's words to its end: a Spanish
speaker's later sentences ("-Tobías es … Al cabo de un rato … acordeme …") are not asked about
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
    "Después de la tormenta quedó una mañana limpia y templada sobre el pueblo de Valdeoscuro. "
    "La maestra bajaba sin prisa por el sendero, buscando el molino entre los olivos.\n\n"
    "-¿Quién silba detrás de la tapia? -preguntó una voz desde el huerto.\n\n"
    "-Tobías es un perro viejo que me sigue; es mi único compañero. Al cruzar el arroyo me "
    "acordé de que mi abuela me esperaba para comer, y volví sin él. Después la vi a usted "
    "junto al molino.\n\n"
    "-No, señora, desde el invierno -contestó el pastor con calma. Apenas distingo las ovejas "
    "más que por sus campanillas.\n\n"
    "La maestra miró un buen rato al chico. Pensó en sus cuadernos y en la escuela vacía, "
    "y sintió de pronto un cariño extraño por aquel niño que cuidaba solo del rebaño.\n\n"
    "Cuando llegaron al camino real, lo primero que oyeron fue el repique lento de la "
    "campana. La maestra se paró a escucharlo, sorprendida por lo grave del sonido."
)


def _sentence(parsed, opening: str):
    return next(s for s in parsed.sentences if s.text.startswith(opening))


def test_a_later_sentence_in_a_dashed_paragraph_is_the_speaker_s() -> None:
    parsed = parse_section(STORY_ES, lexicon_for("es"))
    assert in_speech(_sentence(parsed, "Al cruzar el arroyo"), parsed)
    assert in_speech(_sentence(parsed, "Después la vi"), parsed)
    # A tag in the paragraph does not hand the rest back to the narrator.
    assert in_speech(_sentence(parsed, "Apenas distingo"), parsed)


def test_the_narrator_s_paragraphs_stay_the_narrator_s() -> None:
    parsed = parse_section(STORY_ES, lexicon_for("es"))
    assert not in_speech(_sentence(parsed, "Pensó en sus cuadernos"), parsed)
    assert not in_speech(_sentence(parsed, "La maestra bajaba"), parsed)


SPEECH_ES = (
    "La mañana se abría sobre el pueblo de Valdeoscuro, y la maestra buscaba todavía el "
    "camino del molino.\n\n"
    "-¿Quién silba detrás de la tapia? -preguntó una voz desde el huerto.\n\n"
    "-Tobías es un perro viejo que me sigue; es mi único compañero. Al cabo de un rato en "
    "el molino, acordeme de que mi abuela me esperaba para comer. No quise aguardar más a "
    "Tobías, y volví solo con mi cesta.\n\n"
    "La maestra miró un buen rato al chico, y sintió de pronto un cariño extraño por aquel "
    "niño."
)


def test_a_speaker_s_words_get_no_question_meant_for_the_narrator() -> None:
    templates = templates_for("es")
    assert templates is not None
    by_id = {t.id: t for t in templates.templates}
    prompts = generate_prompts(SPEECH_ES, language="es", kind="story").prompts
    speech = ("Tobías es", "Al cabo de un rato", "No quise")  # the lines of the boy's speech
    spoken = [p for p in prompts if (p.quote or "").startswith(speech)]
    assert spoken
    for prompt in spoken:
        assert "spoken" not in by_id[prompt.template].excludes, prompt.text


def test_the_narrator_question_speaks_to_the_readers_in_one_voice() -> None:
    data = tomllib.loads((TEMPLATES / "es.toml").read_text(encoding="utf-8"))
    narrator = next(t for t in data["templates"] if t["id"] == "central.interpretive.narrator")
    assert "nos cuenta" in narrator["text"]
    assert " les " not in narrator["text"]
