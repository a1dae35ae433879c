"""Spanish and Italian prompts a facilitator would ask as written: no verb of saying or
titled man as a key phrase, a preface asked about by its own questions, no quote cut before
its "pero", no excuse taken for a cause, and no character's question asked about when it is
a lead-in, a joke or a plain question of fact put to someone who answers it."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.engine import key_phrase_candidates, section_candidates, section_words
from bot.reading.prompts.kind_moves import (
    asked_in_jest,
    asks_a_fact,
    detect_kind_moves,
    is_lead_in,
    story_speeches,
)
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.moves import detect_moves
from bot.reading.prompts.quotes import QuotableText, QuoteWords, choose_quote_in
from bot.reading.prompts.sentence_kinds import EVENT, statement_class
from bot.reading.prompts.sentences import parse_section

PREFACE_ES = (
    "Al lector\n\n"
    "El boticario del puerto me regaló, antes de cerrar su tienda, un cuaderno de tapas "
    "verdes lleno de recetas y de noticias del barrio. Lo he guardado muchos años en un "
    "cajón de mi escritorio.\n\n"
    "Las noticias van desde la riada del año nueve hasta la boda de la hija del farero, y "
    "están contadas con gracia y sin malicia. He decidido publicarlas porque nadie recuerda "
    "ya aquellos sucesos.\n\n"
    "Corrijo solo la ortografía, que el boticario trataba con mucha libertad, y dejo lo "
    "demás tal como él lo escribió."
)
LEAD_IN_ES = (
    "La maestra se paró al borde del barranco y contempló las rocas grises.\n\n"
    "-Es un lugar muy raro -dijo-. ¿Quiere usted saber lo que pienso? Pienso que por aquí "
    "no ha pasado nadie en cien años."
)
JEST_ES = (
    "Entraron las dos en la bodega, la una tras la otra, con una vela.\n\n"
    "-Vaya, vaya -preguntó la maestra festivamente-. ¿Guardan ustedes aquí el vino o los "
    "fantasmas del pueblo?"
)
EARNEST_ES = (
    "Entraron las dos en la bodega, la una tras la otra, con una vela.\n\n"
    "-Vaya, vaya -preguntó la maestra-. ¿Por qué nadie me dijo que la bodega era tan honda "
    "y tan húmeda?"
)
FACT_ES = (
    "El pastor iba delante, apartando las zarzas con su cayado de fresno.\n\n"
    "-Huele a humo desde hace un rato. ¿Hay alguna casa detrás de esa loma?\n\n"
    "-Sí, señora: la del carbonero, que quema leña toda la semana."
)
SELF_ES = (
    "La caminante se detuvo en mitad del pinar, sin saber hacia dónde seguir.\n\n"
    "-¿Cuántas horas llevo dando vueltas entre estos pinos? Ya ni el sol se ve desde aquí."
)


def test_a_verb_of_saying_is_no_key_phrase() -> None:
    text = (
        "Della memoria non parla nessuno. Chi parla di memoria parla di un metodo, e il "
        "metodo della memoria è l'attenzione. L'attenzione si impara: la memoria viene dopo, "
        "e chi parla di memoria senza attenzione non sa quello che dice."
    )
    lexicon = lexicon_for("it")
    parsed = parse_section(text, lexicon)
    phrases = [
        c.slots["key_phrase"].lower()
        for c in key_phrase_candidates(
            parsed, lexicon, section_words(lexicon, parsed, TextKind.ARGUMENT).stopwords
        )
    ]
    assert phrases
    assert all("parla" not in p.split() for p in phrases), phrases


def test_a_man_named_by_his_title_is_no_key_phrase() -> None:
    text = (
        "El señor notario firmó muchas escrituras. Las escrituras del señor notario hablan "
        "de herencias, y la letra del señor notario es menuda. Nadie leyó las escrituras, y "
        "las herencias quedaron guardadas en un cajón con las escrituras del señor notario."
    )
    lexicon = lexicon_for("es")
    parsed = parse_section(text, lexicon)
    phrases = [
        c.slots["key_phrase"].lower()
        for c in key_phrase_candidates(
            parsed, lexicon, section_words(lexicon, parsed, TextKind.ARGUMENT).stopwords
        )
    ]
    assert phrases
    assert all("notario" not in p for p in phrases), phrases


def test_a_story_s_preface_is_asked_about_by_its_own_questions() -> None:
    prompts = generate_prompts(PREFACE_ES, language="es", kind=TextKind.STORY).prompts
    assert len(prompts) >= 3
    assert {p.kind for p in prompts} == {"factual", "interpretive", "evaluative"}
    assert all(p.move != "keyphrase" for p in prompts), [p.text for p in prompts]
    # Not the plain questions an essay gets ("¿Cómo lo entienden …?").
    assert all(p.template.endswith(".frame") or p.move != "central" for p in prompts)
    # Its opening, which says where the papers come from, is asked about.
    assert any((p.quote or "").startswith("El boticario del puerto") for p in prompts)
    quotes = [p.quote for p in prompts if p.quote]
    assert len(quotes) == len(set(quotes))


def test_no_quote_ends_just_before_the_pero_that_turns_it() -> None:
    sentence = (
        "El cuaderno cuenta muchas cosas curiosas del barrio y del puerto, con bastante gracia "
        "y muy buena letra, pero sin ningún orden de fechas, y mezcladas además con recetas."
    )
    lexicon = lexicon_for("es")
    words = QuoteWords(lexicon.stopwords, lexicon.clause_words, turning=lexicon.turning)
    span = choose_quote_in(QuotableText(sentence, words), (0, len(sentence)))
    assert span is None or not sentence[span[1] :].lstrip(" ,").startswith("pero")
    without = QuoteWords(lexicon.stopwords, lexicon.clause_words)
    cut = choose_quote_in(QuotableText(sentence, without), (0, len(sentence)))
    assert cut is not None
    assert sentence[cut[1] :].lstrip(" ,").startswith("pero")


def test_a_reason_for_what_the_writer_leaves_unsaid_is_no_cause() -> None:
    lexicon = lexicon_for("it")
    excuse = parse_section(
        "Del giardino non dirò nulla perché tutti lo conoscono già bene.", lexicon
    )
    assert not [m for m in detect_moves(excuse, lexicon) if m.move == "cause"]
    cause = parse_section(
        "La casa crollò perché il fiume aveva scavato sotto le fondamenta.", lexicon
    )
    assert [m for m in detect_moves(cause, lexicon) if m.move == "cause"]


def test_a_question_answered_at_once_is_a_lead_in() -> None:
    lexicon = lexicon_for("es")
    parsed = parse_section(LEAD_IN_ES, lexicon)
    asked = next(s for s in parsed.sentences if s.text.startswith("¿Quiere"))
    assert is_lead_in(asked, parsed)
    moves = detect_kind_moves(parsed, lexicon, TextKind.STORY, {})
    assert not [m for m in moves if m.move == "question"]


def test_a_question_asked_in_jest_is_not_asked_about() -> None:
    lexicon = lexicon_for("es")
    jest = parse_section(JEST_ES, lexicon)
    asked = next(s for s in jest.sentences if s.text.startswith("¿Guardan"))
    assert asked_in_jest(asked, jest, lexicon)
    assert not asked_in_jest(
        asked, parse_section(JEST_ES.replace(" festivamente", ""), lexicon), lexicon
    )
    assert not [
        m for m in detect_kind_moves(jest, lexicon, TextKind.STORY, {}) if m.move == "question"
    ]
    earnest = parse_section(EARNEST_ES, lexicon)
    assert [
        m for m in detect_kind_moves(earnest, lexicon, TextKind.STORY, {}) if m.move == "question"
    ]


def test_a_character_s_question_of_fact_to_another_is_not_asked_about() -> None:
    lexicon = lexicon_for("es")
    assert asks_a_fact("¿Es humo de alguna casa de carbonero?", lexicon)
    assert asks_a_fact("¿Y dónde está esa casa?", lexicon)
    assert not asks_a_fact("¿Por qué no me avisó usted a tiempo?", lexicon)
    fact = parse_section(FACT_ES, lexicon)
    assert not [
        m for m in detect_kind_moves(fact, lexicon, TextKind.STORY, {}) if m.move == "question"
    ]
    # Asked of oneself, with the line going on, it is a moment to think about.
    alone = parse_section(SELF_ES, lexicon)
    assert [
        m for m in detect_kind_moves(alone, lexicon, TextKind.STORY, {}) if m.move == "question"
    ]


def test_the_dash_closing_a_tag_is_not_part_of_the_name() -> None:
    lexicon = lexicon_for("es")
    parsed = parse_section(
        "Llovía en el puerto.\n\n-¿Y tú, chico, sabes remar con este oleaje? -dijo Anselmo-.",
        lexicon,
    )
    names = [name for _, name, _ in story_speeches(parsed, lexicon)]
    assert names == ["Anselmo"]


def test_a_spanish_singular_preterite_tells_an_event() -> None:
    lexicon = lexicon_for("es")
    text = "Anselmo cerró la puerta del taller y bajó sin prisa hasta el puerto."
    assert statement_class(text, lexicon) == EVENT


def test_a_first_impression_only_of_someone_still_being_introduced() -> None:
    text = (
        "Ramiro llegó al pueblo una tarde de marzo.\n\n"
        "Ramiro buscó posada en la calle mayor.\n\n"
        "Ramiro cenó solo y se acostó temprano.\n\n"
        "Ramiro, alto y flaco, tenía los ojos grises y una barba descuidada de viajero.\n\n"
        "En la plaza vivía Eusebio, un viejo prestamista de la villa.\n\n"
        "Eusebio, con su chaleco gris y su reloj de plata, era un hombre de pocas palabras."
    )
    lexicon = lexicon_for("es")
    parsed = parse_section(text, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    introduced = {
        c.slots.get("person")
        for c in section_candidates(parsed, lexicon, words, None, TextKind.STORY)
        if "introduced" in c.features
    }
    assert "Eusebio" in introduced
    assert "Ramiro" not in introduced
    prompts = generate_prompts(text, language="es", kind=TextKind.STORY).prompts
    assert all("impresión les causa aquí Ramiro" not in p.text for p in prompts)


def test_a_preface_s_opening_is_asked_where_the_story_comes_from() -> None:
    prompts = generate_prompts(PREFACE_ES, language="es", kind=TextKind.STORY).prompts
    factual = [p for p in prompts if p.kind == "factual"]
    assert factual
    assert (factual[0].quote or "").startswith("El boticario del puerto")


def test_an_ordinal_standing_for_a_noun_named_before_is_not_quoted_alone() -> None:
    text = (
        "Mi abuela tuvo tres hijas. La primera era maestra en la escuela; la segunda se casó "
        "con un marino; y la tercera se quedó en casa.\n\n"
        "La primera vez que visité aquella casa me perdí por los pasillos del piso alto."
    )
    lexicon = lexicon_for("es")
    parsed = parse_section(text, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    quoted = {
        c.sentence.text[:12]
        for c in section_candidates(parsed, lexicon, words, None, TextKind.STORY)
        if c.sentence is not None
    }
    assert "La primera e" not in quoted
    assert "La primera v" in quoted
