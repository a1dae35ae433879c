"""Characters' lines in a story are quoted and asked about as theirs: a question later in a
dash-opened line is the character's, the tag in the middle of a line stays out of the quote,
and a line announcing the speech to come ("he shouted:") is not quoted on its own."""

from __future__ import annotations

import pytest

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.kind_moves import detect_kind_moves
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import OPEN, SPOKEN, is_question, question_class
from bot.reading.prompts.sentences import parse_section

DIALOGUE_ES = (
    "El médico bajó por la vereda con su bastón, sin prisa ninguna.\n\n"
    "-Muy bien. ¿Y dónde queda ese molino viejo del que me hablaba?"
)
TAGGED_ES = (
    "La tarde caía sobre las huertas cuando los dos llegaron al puente.\n\n"
    "-Quién sabe, amigo -contestó Ramiro- "
    "¿pero quién ha encendido aquella luz en la torre del molino?"
)
ANNOUNCED_ES = (
    "El pastor subió a la peña más alta del monte, muy despacio.\n\n"
    "El muchacho, con las dos manos junto a la boca, llamó:\n\n"
    "-¡Baja ya, que se hace de noche y las ovejas no esperan!\n\n"
    "Nadie respondió desde el valle, y el viento siguió soplando entre los pinos."
)


def test_a_question_later_in_a_dash_opened_line_is_the_character_s() -> None:
    lexicon = lexicon_for("es")
    parsed = parse_section(DIALOGUE_ES, lexicon)
    asked = next(s for s in parsed.sentences if is_question(s.text))
    features = question_class(asked, parsed)
    assert SPOKEN in features
    assert OPEN not in features


def test_a_character_s_plain_question_is_not_put_to_the_group() -> None:
    prompts = generate_prompts(DIALOGUE_ES, language="es", kind=TextKind.STORY).prompts
    assert all(p.template != "es.question.evaluative.story" for p in prompts), [
        p.text for p in prompts
    ]
    assert all("responderían ustedes" not in p.text for p in prompts)


def test_a_speech_tag_in_the_middle_of_a_line_stays_out_of_the_quote() -> None:
    lexicon = lexicon_for("es")
    parsed = parse_section(TAGGED_ES, lexicon)
    asked = [
        m for m in detect_kind_moves(parsed, lexicon, TextKind.STORY, {}) if m.move == "question"
    ]
    assert asked
    text = asked[0].sentence.text
    quoted = text[asked[0].anchor[0] : asked[0].anchor[1]]
    assert quoted.startswith("¿pero quién")
    assert "contestó" not in quoted
    assert asked[0].within


def test_a_quoted_question_never_carries_the_tag() -> None:
    prompts = generate_prompts(TAGGED_ES, language="es", kind=TextKind.STORY).prompts
    assert prompts
    assert all("contestó Ramiro" not in (p.quote or "") for p in prompts)


def test_a_line_announcing_the_speech_to_come_is_not_quoted() -> None:
    prompts = generate_prompts(ANNOUNCED_ES, language="es", kind=TextKind.STORY).prompts
    assert prompts
    assert all(not (p.quote or "").rstrip().endswith(":") for p in prompts)
    assert all("llamó" not in (p.quote or "") for p in prompts), [p.quote for p in prompts]


LAST_RESORT = {
    "en": "strikes you most",
    "fr": "vous frappe le plus",
    "es": "llama más la atención",
    "it": "colpisce di più",
}


@pytest.mark.parametrize("language", sorted(LAST_RESORT))
def test_a_story_s_last_evaluative_question_asks_for_the_reader_s_impression(
    language: str,
) -> None:
    templates = templates_for(language)
    assert templates is not None
    for template in templates.templates:
        assert LAST_RESORT[language] not in template.text, template.id


def test_half_of_a_hyphenated_compound_is_no_key_phrase() -> None:
    text = (
        "Della neuro–chirurgia non dirò nulla: la neuro–chirurgia ha i suoi libri. "
        "Dirò invece che la neuro–chirurgia mi ha insegnato la pazienza, e che il metodo "
        "della neuro–chirurgia vale anche per la memoria. Il metodo è tutto, e senza metodo "
        "la memoria inganna."
    )
    prompts = generate_prompts(text, language="it", kind=TextKind.ARGUMENT).prompts
    assert prompts
    assert all("«neuro»" not in p.text and "«chirurgia»" not in p.text for p in prompts), [
        p.text for p in prompts
    ]
