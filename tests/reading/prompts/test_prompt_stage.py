"""A play's lines asked about as the scene stands: no "to whom is it said" of a soliloquy, no
"what the others on stage miss" with one other there, no "what does she answer" when the
answer is a question back, no scornful echo asked about as a real question; no quote opening
on a link ("En efecto", "Infatti") that points back to what it leaves out, nor one stopping at
the colon before what it announces."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.engine import Candidate, section_candidates, section_words, stops_at_colon
from bot.reading.prompts.kind_moves import detect_kind_moves, play_speakers
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.model import MoveKind
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.quotes import MAX_WORDS
from bot.reading.prompts.sentences import parse_section

SCENES_IT = (
    "Scena prima\n\n"
    "Il Capitano e la Vedova\n\n"
    "CAPITANO\nHo comprato un cavallo alla fiera di Pavia, signora Vedova, e l'ho pagato poco.\n\n"
    "VEDOVA\nL'avete pagato il doppio, caro Capitano, lo dice tutto il mercato.\n\n"
    "CAPITANO\nPerché mai prendete le parti del mercante contro di me?\n\n"
    "VEDOVA\nE voi di chi vi fidate?\n\n"
    "CAPITANO\nDi nessuno, e oggi meno che mai.\n\n"
    "Scena seconda\n\n"
    "Rosina sola\n\n"
    "ROSINA\nAh, questa poi! Il signor capitano mi vorrebbe insegnare a ballare? Io ballo "
    "da quando avevo sei anni. Preferisco le scarpe comode ai complimenti. Se dessi retta a "
    "tutti i maestri del paese, non avrei più un'ora per cucire."
)
CROWD_IT = (
    "Scena terza\n\n"
    "Il Capitano, la Vedova e il Notaio\n\n"
    "CAPITANO\nHo comprato un cavallo alla fiera di Pavia, signora Vedova, e l'ho pagato poco.\n\n"
    "VEDOVA\nL'avete pagato il doppio, caro Capitano, lo dice tutto il mercato.\n\n"
    "NOTAIO\nE la ricevuta l'ho scritta io, con la cifra giusta in fondo al foglio."
)
LINK_ES = (
    "La maestra subió al desván con una vela y buscó el baúl de su abuela.\n\n"
    "En efecto, la maestra encontró el baúl debajo de una manta vieja, junto a la ventana "
    "redonda."
)


def _speech_block(text: str, opening: str) -> int:
    lexicon = lexicon_for("it")
    parsed = parse_section(text, lexicon)
    return next(s.block for s in parsed.sentences if opening in s.text)


def test_the_scene_heading_counts_who_is_on_stage() -> None:
    lexicon = lexicon_for("it")
    speakers = play_speakers(parse_section(SCENES_IT, lexicon), lexicon)
    capitano = speakers[_speech_block(SCENES_IT, "Ho comprato")]
    rosina = speakers[_speech_block(SCENES_IT, "Ah, questa")]
    assert capitano.others == 1
    assert capitano.listener == "la Vedova"
    # Alone in her scene: the Capitano of the scene before is not her listener.
    assert rosina.others == 0
    assert rosina.listener is None
    crowd = play_speakers(parse_section(CROWD_IT, lexicon), lexicon)
    assert crowd[_speech_block(CROWD_IT, "Ho comprato")].others == 2


def test_a_question_answered_by_a_question_has_no_answer_to_ask_about() -> None:
    lexicon = lexicon_for("it")
    speakers = play_speakers(parse_section(SCENES_IT, lexicon), lexicon)
    assert speakers[_speech_block(SCENES_IT, "Ho comprato")].replied
    assert not speakers[_speech_block(SCENES_IT, "Perché mai")].replied
    prompts = generate_prompts(SCENES_IT, language="it", kind=TextKind.DRAMA).prompts
    asked = [p for p in prompts if "Perché mai" in (p.quote or "")]
    assert not [p for p in asked if "Che cosa risponde la Vedova" in p.text]


def test_a_soliloquy_is_not_asked_to_whom_it_is_said() -> None:
    lexicon = lexicon_for("it")
    parsed = parse_section(SCENES_IT, lexicon)
    speakers = play_speakers(parsed, lexicon)
    moves = detect_kind_moves(parsed, lexicon, TextKind.DRAMA, speakers)
    alone = [m for m in moves if m.sentence.block == _speech_block(SCENES_IT, "Ah, questa")]
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
        for t in templates.templates
        if t.move == "speech"
        and t.kind == "factual"
        and t.fits(speech.features | {"drama"}, {**speech.slots, "quote": ""})
    }
    assert "it.speech.factual.alone" in fitting
    assert "it.speech.factual.play" not in fitting
    prompts = generate_prompts(SCENES_IT, language="it", kind=TextKind.DRAMA).prompts
    rosina = [p for p in prompts if "Rosina" in p.text]
    assert not [p for p in rosina if "a chi è rivolta" in p.text or "gli altri in scena" in p.text]


def test_a_question_flung_back_after_an_exclamation_is_no_question() -> None:
    lexicon = lexicon_for("it")
    text = SCENES_IT.replace("Rosina sola\n\n", "Rosina e la Vedova\n\n") + (
        "\n\nVEDOVA\nNon ve lo insegnerà, state tranquilla."
    )
    parsed = parse_section(text, lexicon)
    moves = detect_kind_moves(parsed, lexicon, TextKind.DRAMA, play_speakers(parsed, lexicon))
    asked = [m for m in moves if m.move == "question"]
    assert not [m for m in asked if "a ballare?" in m.sentence.text]
    # An earnest question put to someone who answers it stays a question.
    assert [m for m in asked if "Perché mai" in m.sentence.text]


def test_the_others_on_stage_only_when_there_are_others() -> None:
    two = generate_prompts(SCENES_IT, language="it", kind=TextKind.DRAMA).prompts
    assert not [p for p in two if "gli altri in scena" in p.text]
    lexicon = lexicon_for("it")
    parsed = parse_section(CROWD_IT, lexicon)
    moves = detect_kind_moves(parsed, lexicon, TextKind.DRAMA, play_speakers(parsed, lexicon))
    assert all("company" in m.features for m in moves if m.move == "speech")


def test_a_quote_opening_on_en_efecto_leans_on_the_sentence_before() -> None:
    lexicon = lexicon_for("es")
    parsed = parse_section(LINK_ES, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)

    def dangles(opening: str) -> bool:
        sentence = next(s for s in parsed.sentences if s.text.startswith(opening))
        return Candidate(MoveKind.CENTRAL, 1.0, frozenset(), {}, sentence).dangles(words)

    assert dangles("En efecto")
    assert not dangles("La maestra")


COLON_IT = (
    "La mattina apro la bottega e metto in fila i vasi di miele sugli scaffali.\n\n"
    "Ogni tanto mi fermo dietro il banco e dal vetro appannato vedo passare sempre le stesse "
    "figure di questa strada: il fornaio che porta le ceste alla trattoria, la vecchia maestra "
    "con il suo cane zoppo, il postino che fischia in bicicletta; e mi domando se anche loro "
    "guardino me!"
)


def test_a_story_s_quote_stopping_at_a_colon_leaves_out_what_it_announces() -> None:
    lexicon = lexicon_for("it")
    parsed = parse_section(COLON_IT, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    sentence = next(s for s in parsed.sentences if s.text.startswith("Ogni tanto"))
    candidate = Candidate(MoveKind.CENTRAL, 1.0, frozenset(), {}, sentence)
    span = candidate.quote_span(MAX_WORDS, words)
    assert span is not None
    assert sentence.text[span[1]] == ":"
    assert stops_at_colon(candidate, words)
    plain = next(s for s in parsed.sentences if s.text.startswith("La mattina"))
    assert not stops_at_colon(Candidate(MoveKind.CENTRAL, 1.0, frozenset(), {}, plain), words)


def test_a_story_whose_only_sentence_announces_what_follows_is_still_asked_about() -> None:
    prompt_set = generate_prompts("I said to him then:", language="en", kind=TextKind.STORY)
    assert 3 <= len(prompt_set.prompts) <= 5
    assert any("I said to him then" in p.text for p in prompt_set.prompts)


MANY_ES = (
    "La maestra salió de la escuela cuando sonaron las cinco en la torre. "
    "Las calles del pueblo olían a pan recién hecho y a leña. "
    "Un carro cargado de melones bajaba despacio hacia la plaza. "
    "Detrás del carro corría un niño con una cometa de papel.\n\n"
    "La maestra compró dos melones y una docena de huevos. "
    "El vendedor le contó que la cosecha había sido muy buena. "
    "Ella guardó la compra en su cesta de mimbre. "
    "Después se sentó un rato en el banco de la fuente.\n\n"
    "Al otro lado de la plaza se abría la puerta del casino. "
    "En efecto, la maestra vio dentro al vendedor de melones jugando a las cartas. "
    "La maestra volvió a casa antes de que oscureciera."
)


def test_a_quote_opening_on_a_link_is_left_out_when_enough_stand_alone() -> None:
    lexicon = lexicon_for("es")
    parsed = parse_section(MANY_ES, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    candidates = section_candidates(parsed, lexicon, words, None, TextKind.STORY)
    assert len({c.order for c in candidates}) >= 8
    assert not [c for c in candidates if c.sentence and "En efecto" in c.sentence.text]
