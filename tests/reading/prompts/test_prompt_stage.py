"""A play's lines asked about as the scene stands: no "to whom is it said" of a soliloquy, no
"what the others on stage miss" with one other there, no "what does she answer" when the
answer is a question back, no scornful echo asked about as a real question; no quote opening
on a link ("En efecto", "Infatti") that points back to what it leaves out, nor one stopping at
the colon before what it announces."""

from __future__ import annotations

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.engine import _Candidate, _candidates, _stops_at_colon, _words
from bot.reading.prompts.kind_moves import detect_kind_moves, play_speakers
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.quotes import MAX_WORDS
from bot.reading.prompts.sentences import parse_section

SCENES_IT = (
    "Scena prima\n\n"
    "Il Barone e la Contessa\n\n"
    "BARONE\nIo porto un mazzo di rose ogni mattina, signora Contessa, e nessuno lo sa.\n\n"
    "CONTESSA\nLo sanno tutti in paese, caro Barone, anche i sassi della piazza.\n\n"
    "BARONE\nPerché mai ridete di me davanti a tutti i vostri ospiti?\n\n"
    "CONTESSA\nChe vorreste dire?\n\n"
    "BARONE\nChe mi fate torto, e lo sapete bene anche voi.\n\n"
    "Scena seconda\n\n"
    "Lucia sola\n\n"
    "LUCIA\nOh, questa è bella! Il signor barone mi porterebbe le rose? Io non le voglio "
    "davvero. Mi piacciono i fatti, e delle parole non so che farmene. Se avessi sposato "
    "tutti quelli che mi hanno fatto la corte, avrei cento mariti in casa mia."
)
CROWD_IT = (
    "Scena terza\n\n"
    "Il Barone, la Contessa e il Notaio\n\n"
    "BARONE\nIo porto un mazzo di rose ogni mattina, signora Contessa, e nessuno lo sa.\n\n"
    "CONTESSA\nLo sanno tutti in paese, caro Barone, anche i sassi della piazza.\n\n"
    "NOTAIO\nE lo so anch'io, che scrivo tutto quello che succede qui."
)
LINK_ES = (
    "El médico bajó despacio por la cuesta, detrás del muchacho ciego y de su perro.\n\n"
    "En efecto, el médico vio que el ciego se dirigía hacia una puerta estrecha de madera "
    "vieja."
)


def _speech_block(text: str, opening: str) -> int:
    lexicon = lexicon_for("it")
    parsed = parse_section(text, lexicon)
    return next(s.block for s in parsed.sentences if opening in s.text)


def test_the_scene_heading_counts_who_is_on_stage() -> None:
    lexicon = lexicon_for("it")
    speakers = play_speakers(parse_section(SCENES_IT, lexicon), lexicon)
    barone = speakers[_speech_block(SCENES_IT, "Io porto")]
    lucia = speakers[_speech_block(SCENES_IT, "Oh, questa")]
    assert barone.others == 1
    assert barone.listener == "la Contessa"
    # Alone in her scene: the Barone of the scene before is not her listener.
    assert lucia.others == 0
    assert lucia.listener is None
    crowd = play_speakers(parse_section(CROWD_IT, lexicon), lexicon)
    assert crowd[_speech_block(CROWD_IT, "Io porto")].others == 2


def test_a_question_answered_by_a_question_has_no_answer_to_ask_about() -> None:
    lexicon = lexicon_for("it")
    speakers = play_speakers(parse_section(SCENES_IT, lexicon), lexicon)
    assert speakers[_speech_block(SCENES_IT, "Io porto")].replied
    assert not speakers[_speech_block(SCENES_IT, "Perché mai")].replied
    prompts = generate_prompts(SCENES_IT, language="it", kind="drama").prompts
    assert not [p for p in prompts if "Che cosa risponde la Contessa" in p.text]


def test_a_soliloquy_is_not_asked_to_whom_it_is_said() -> None:
    lexicon = lexicon_for("it")
    parsed = parse_section(SCENES_IT, lexicon)
    speakers = play_speakers(parsed, lexicon)
    moves = detect_kind_moves(parsed, lexicon, "drama", speakers)
    alone = [m for m in moves if m.sentence.block == _speech_block(SCENES_IT, "Oh, questa")]
    assert alone
    assert all("alone" in m.features for m in alone)
    # Her questions are put to nobody: they are weighed as lines, not asked about as questions.
    assert not [m for m in alone if m.move == "question"]
    # Asked what has just happened, said to herself; never to whom the line is said.
    templates = templates_for("it")
    assert templates is not None
    speech = next(m for m in alone if m.move == "speech")
    fitting = {
        t.id
        for t in templates.for_move("speech", "factual")
        if t.fits(speech.features | {"drama"}, {**speech.slots, "quote": ""})
    }
    assert "it.speech.factual.alone" in fitting
    assert "it.speech.factual.play" not in fitting
    prompts = generate_prompts(SCENES_IT, language="it", kind="drama").prompts
    lucia = [p for p in prompts if "Lucia" in p.text]
    assert not [p for p in lucia if "a chi è rivolta" in p.text or "gli altri in scena" in p.text]


def test_a_question_flung_back_after_an_exclamation_is_no_question() -> None:
    lexicon = lexicon_for("it")
    text = SCENES_IT.replace("Lucia sola\n\n", "Lucia e la Contessa\n\n") + (
        "\n\nCONTESSA\nNon ve le porterà, state tranquilla."
    )
    parsed = parse_section(text, lexicon)
    moves = detect_kind_moves(parsed, lexicon, "drama", play_speakers(parsed, lexicon))
    asked = [m for m in moves if m.move == "question"]
    assert not [m for m in asked if "le rose?" in m.sentence.text]
    # An earnest question put to someone who answers it stays a question.
    assert [m for m in asked if "Perché mai" in m.sentence.text]


def test_the_others_on_stage_only_when_there_are_others() -> None:
    two = generate_prompts(SCENES_IT, language="it", kind="drama").prompts
    assert not [p for p in two if "gli altri in scena" in p.text]
    lexicon = lexicon_for("it")
    parsed = parse_section(CROWD_IT, lexicon)
    moves = detect_kind_moves(parsed, lexicon, "drama", play_speakers(parsed, lexicon))
    assert all("company" in m.features for m in moves if m.move == "speech")


def test_a_quote_opening_on_en_efecto_leans_on_the_sentence_before() -> None:
    lexicon = lexicon_for("es")
    parsed = parse_section(LINK_ES, lexicon)
    words = _words(lexicon, parsed, "story")

    def dangles(opening: str) -> bool:
        sentence = next(s for s in parsed.sentences if s.text.startswith(opening))
        return _Candidate("central", 1.0, frozenset(), {}, sentence).dangles(words)

    assert dangles("En efecto")
    assert not dangles("El médico")


COLON_IT = (
    "La sera mi siedo alla finestra con la matita in mano e provo a ricordare.\n\n"
    "Chiudo gli occhi e vedo delle figure strane che non hanno nulla a che fare con la mia "
    "vita di prima: un vecchio battello che risale il fiume trascinando delle chiatte cariche "
    "di sale e di carbone, fra le nebbie del mattino; chissà da dove viene e perché passa "
    "proprio di qui!"
)


def test_a_story_s_quote_stopping_at_a_colon_leaves_out_what_it_announces() -> None:
    lexicon = lexicon_for("it")
    parsed = parse_section(COLON_IT, lexicon)
    words = _words(lexicon, parsed, "story")
    sentence = next(s for s in parsed.sentences if s.text.startswith("Chiudo"))
    candidate = _Candidate("central", 1.0, frozenset(), {}, sentence)
    span = candidate.quote_span(MAX_WORDS, words)
    assert span is not None
    assert sentence.text[span[1]] == ":"
    assert _stops_at_colon(candidate, words)
    plain = next(s for s in parsed.sentences if s.text.startswith("La sera"))
    assert not _stops_at_colon(_Candidate("central", 1.0, frozenset(), {}, plain), words)


def test_a_story_whose_only_sentence_announces_what_follows_is_still_asked_about() -> None:
    prompt_set = generate_prompts("I said to him then:", language="en", kind="story")
    assert 3 <= len(prompt_set.prompts) <= 5
    assert any("I said to him then" in p.text for p in prompt_set.prompts)


MANY_ES = (
    "El médico caminaba solo por el monte cuando cayó la noche sobre las minas. "
    "Las piedras rojas brillaban a la luz de la luna como brasas. "
    "Un perro ladró a lo lejos, y el médico se detuvo a escuchar. "
    "Luego apareció un muchacho ciego con un palo de avellano en la mano.\n\n"
    "El muchacho le ofreció guiarle hasta la casa del ingeniero. "
    "Bajaron juntos por una vereda estrecha entre los montones de tierra. "
    "El ciego conocía cada piedra del camino por el sonido de sus pasos. "
    "El médico admiraba en silencio la seguridad de su guía.\n\n"
    "Al fondo de la cuesta se abría la boca negra de una galería. "
    "En efecto, allá abajo brillaba una luz pequeña como un ojo que los miraba. "
    "Entraron los dos en la galería sin decir palabra."
)


def test_a_quote_opening_on_a_link_is_left_out_when_enough_stand_alone() -> None:
    lexicon = lexicon_for("es")
    parsed = parse_section(MANY_ES, lexicon)
    words = _words(lexicon, parsed, "story")
    candidates = _candidates(parsed, lexicon, words, None, "story")
    assert len({c.order for c in candidates}) >= 8
    assert not [c for c in candidates if c.sentence and "En efecto" in c.sentence.text]
