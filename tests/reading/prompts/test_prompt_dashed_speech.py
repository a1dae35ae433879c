"""A paragraph opened by a dialogue dash is a character's words to its end: a Spanish
speaker's later sentences ("-Me llamo Tobías … Esta mañana … acordeme …") are not asked about
as the narrator's telling, and the narrator's question speaks to the readers in one voice."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import in_speech
from bot.reading.prompts.sentences import ParsedSection, Sentence, parse_section

TEMPLATES = Path(__file__).parents[3] / "bot" / "reading" / "prompts" / "templates"

STORY_ES = (
    "Después de la tormenta quedó una mañana limpia y templada sobre el pueblo de Valdeoscuro. "
    "La maestra bajaba sin prisa por el sendero, buscando el molino entre los olivos.\n\n"
    "-¿Quién silba detrás de la tapia? -preguntó una voz desde el huerto.\n\n"
    "-Me llamo Tobías y guardo las cabras del molinero. Esta mañana se me escaparon dos por "
    "el barranco, y he pasado horas buscándolas. Después la vi a usted junto al molino.\n\n"
    "-No, señora, vivo arriba, en el molino -contestó el pastor con calma. Bajo al pueblo "
    "solo los domingos, para oír misa.\n\n"
    "La maestra se rió y le dio un trozo de pan. Pensó en sus cuadernos y en la escuela "
    "vacía, y decidió que el lunes iría a hablar con el molinero.\n\n"
    "Al llegar al camino real se despidieron. La campana de la iglesia daba las doce, y la "
    "maestra apretó el paso hacia el pueblo."
)


def _sentence(parsed: ParsedSection, opening: str) -> Sentence:
    return next(s for s in parsed.sentences if s.text.startswith(opening))


def test_a_later_sentence_in_a_dashed_paragraph_is_the_speaker_s() -> None:
    parsed = parse_section(STORY_ES, lexicon_for("es"))
    assert in_speech(_sentence(parsed, "Esta mañana se me"), parsed)
    assert in_speech(_sentence(parsed, "Después la vi"), parsed)
    # A tag in the paragraph does not hand the rest back to the narrator.
    assert in_speech(_sentence(parsed, "Bajo al pueblo"), parsed)


def test_the_narrator_s_paragraphs_stay_the_narrator_s() -> None:
    parsed = parse_section(STORY_ES, lexicon_for("es"))
    assert not in_speech(_sentence(parsed, "Pensó en sus cuadernos"), parsed)
    assert not in_speech(_sentence(parsed, "La maestra bajaba"), parsed)


SPEECH_ES = (
    "La mañana se abría sobre el pueblo de Valdeoscuro, y la maestra buscaba todavía el "
    "camino del molino.\n\n"
    "-¿Quién silba detrás de la tapia? -preguntó una voz desde el huerto.\n\n"
    "-Me llamo Tobías y guardo las cabras del molinero; soy su sobrino. Esta mañana, ya en "
    "el monte, acordeme de que el corral había quedado abierto. No quise esperar a mi primo "
    "Blas, y salí solo con el perro.\n\n"
    "La maestra miró un buen rato al chico, y le dio de pronto su propio almuerzo."
)


def test_a_speaker_s_words_get_no_question_meant_for_the_narrator() -> None:
    templates = templates_for("es")
    assert templates is not None
    by_id = {t.id: t for t in templates.templates}
    prompts = generate_prompts(SPEECH_ES, language="es", kind=TextKind.STORY).prompts
    speech = ("Me llamo Tobías", "Esta mañana", "No quise")  # the lines of the boy's speech
    spoken = [p for p in prompts if (p.quote or "").startswith(speech)]
    assert spoken
    for prompt in spoken:
        assert "spoken" not in by_id[prompt.template].excludes, prompt.text


def test_the_narrator_question_speaks_to_the_readers_in_one_voice() -> None:
    data = tomllib.loads((TEMPLATES / "es.toml").read_text(encoding="utf-8"))
    narrator = next(t for t in data["templates"] if t["id"] == "central.interpretive.narrator")
    assert "nos cuenta" in narrator["text"]
    assert " les " not in narrator["text"]
