"""What a prompt quotes and whom it names, on small texts written for the rules: a whole
sentence or a self-standing clause, never a subordinate clause alone, a cut inside a phrase or
a start in mid-sentence; verse keeps its lines; speakers named in a play and a story; no German
noun taken for a name, no quoted verse taken for a list, no chapter summary quoted."""

from __future__ import annotations

import pytest

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.apparatus import apparatus_blocks, without_apparatus
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.moves import detect_moves
from bot.reading.prompts.quotes import (
    QuotableText,
    choose_quote_in,
    quote_tokens,
)
from bot.reading.prompts.sentences import parse_section, split_sentences
from bot.reading.prompts.speakers import named_speaker
from tests.reading.prompts.quote_words import plain_quote_words


def quote_of(text: str, language: str, *, verse: bool = False, max_words: int = 25) -> str | None:
    span = choose_quote_in(
        QuotableText(text, plain_quote_words(language, verse=verse)),
        (0, len(text)),
        max_words=max_words,
    )
    return text[span[0] : span[1]] if span else None


# Quotes


def test_a_sentence_that_fits_is_quoted_whole() -> None:
    text = "The lantern swung in the wind, and the ferryman counted the coins twice."
    assert quote_of(text, "en") == text.rstrip(".")


LONG_SENTENCES = [
    (
        "de",
        "Die Fischer des Dorfes wussten schon immer, dass der kälteste, dunkelste und "
        "stürmischste aller Monate der Februar ist, und deshalb flickten sie ihre Netze lange "
        "vorher im warmen Schuppen am Hafen.",
    ),
    (
        "en",
        "The fishermen of the village always knew that the coldest, the darkest and the "
        "stormiest of all the months was February, and so they mended their nets long before "
        "it in the warm shed by the harbour.",
    ),
    (
        "it",
        "I pescatori del villaggio sapevano da sempre che il più freddo, il più buio e il più "
        "tempestoso di tutti i mesi era febbraio, e perciò riparavano le reti molto prima nel "
        "capanno caldo del porto.",
    ),
]


@pytest.mark.parametrize(("language", "text"), LONG_SENTENCES, ids=[x[0] for x in LONG_SENTENCES])
def test_a_long_sentence_is_never_cut_inside_a_phrase(language: str, text: str) -> None:
    quote = quote_of(text, language)
    if quote is not None:
        rest = text[text.index(quote) + len(quote) :]
        # What follows the quote is a new clause or the sentence's end, never the rest of a
        # phrase ("der kälteste, | dunkelste …").
        assert rest.strip() in ("", ".") or rest.lstrip()[:1] in ";:." or rest.startswith(", ")
        follower = rest.lstrip(" ,").split(" ")[0].lower()
        assert rest.strip() in ("", ".") or follower in plain_quote_words(language).clause_words | {
            "",
            *lexicon_for(language).subordinators,
        }


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Plus tard, la couturière raconte qu'à son premier jour à l'atelier, une cliente "
               "l'attendait dans l'entrée avec trois robes, deux chapeaux et une lettre cachetée "
               "qu'elle ne devait lire qu'en chemin."),
        ("en", "When the ferryman finally came back from the far bank of the river at dusk, "
               "with the lantern swinging and the coins counted twice over in his pocket, the "
               "children ran down to meet him."),
        ("es", "Cuando la maestra llegó por fin al pueblo después de caminar toda la tarde "
               "entre olivos y viñas, con la maleta rota y los zapatos llenos de polvo, los "
               "niños la esperaban."),
    ],
)  # fmt: skip
def test_a_quote_is_never_a_subordinate_clause_alone(language: str, text: str) -> None:
    quote = quote_of(text, language)
    subordinators = lexicon_for(language).subordinators
    if quote is not None and quote != text.rstrip("."):
        first = quote.split()[0].lower().split("'")[0]
        assert first not in subordinators or "," in quote, quote


def test_a_quote_never_starts_in_lower_case_in_mid_sentence() -> None:
    text = (
        "Mais la querelle entre les deux meuniers, ou, pour le dire plus simplement, la "
        "querelle pour un seul ruisseau, a occupé tout le village; personne, pas même le curé, "
        "n'a pu les réconcilier avant le printemps."
    )
    quote = quote_of(text, "fr")
    # A quote from "personne" after the semicolon would score best; it starts in lower case.
    assert quote is not None
    assert quote.startswith("Mais"), quote


def test_a_quote_may_start_after_a_stray_underscore_that_opens_the_sentence() -> None:
    # An italics marker left alone is markup, not the sentence's first word.
    assert quote_of("_ The ferryman counted the coins twice.", "en") == (
        "The ferryman counted the coins twice"
    )


def test_a_quote_may_start_after_a_colon_on_a_capital() -> None:
    text = (
        "Les voyageurs s'étaient disputés toute la nuit sur le chemin, sur la pluie, sur le "
        "prix des chevaux et sur l'heure du départ des voitures publiques: Personne ne voulait "
        "céder la première place au vieux marchand de Nevers."
    )
    anchor = text.index("Personne")
    span = choose_quote_in(QuotableText(text, plain_quote_words("fr")), (anchor, anchor + 8))
    assert span is not None
    assert text[span[0] : span[1]].startswith("Personne ne voulait")


def test_a_quote_does_not_end_where_an_aside_interrupts_its_clause() -> None:
    text = (
        "Die Bäckerin sah an diesem Morgen oft zur Tür, und der laute Markt -- man hörte die "
        "Händler rufen -- machte sie unruhig; erst gegen Mittag wurde es im Laden wieder still."
    )
    quote = quote_of(text, "de")
    # Ending at either dash would be nearer the best length than ending after the aside.
    assert quote is not None
    assert not quote.endswith(("Markt", "rufen")), quote


def test_verse_keeps_its_lines() -> None:
    text = (
        "Der Wanderer kommt am späten Abend heim\n"
        "Und sieht die Lichter in den Fenstern brennen;\n"
        "Er weiß nicht, wer ihn dort erwartet,\n"
        "Und geht vorbei, und kehrt nicht wieder um,\n"
        "Und sucht den Weg hinab zum dunklen Fluss."
    )
    quote = quote_of(text, "de", verse=True, max_words=16)
    assert quote is not None
    start = text.index(quote)
    assert start == 0 or text[start - 1] == "\n", quote
    end = start + len(quote)
    assert text[end:].lstrip(",.;")[:1] in ("", "\n"), quote
    # A line that carries on the line before it is not quoted without it.
    assert not quote.startswith("Und sieht")


def test_a_dash_after_a_question_starts_a_new_sentence() -> None:
    text = (
        "Warum nicht lieber Regen? Selbst Hagel? - Die Sorge um die Ernte ließ uns nicht schlafen."
    )
    sentences = [text[s:e] for s, e in split_sentences(text, lexicon_for("de"))]
    assert sentences[-1].startswith("- Die Sorge")
    assert sentences[-2] == "Selbst Hagel?"


def test_a_bracket_opening_in_lower_case_does_not_start_a_sentence() -> None:
    text = "Por el puente, despacio, siempre despacio... (así lo manda mi abuela) he de cruzar."
    assert len(split_sentences(text, lexicon_for("es"))) == 1


# Speakers


def test_a_play_prompt_names_its_speaker() -> None:
    play = "\n\n".join(
        [
            "CAPITANO. La mia barca è la più veloce del porto, e tutti lo sanno da anni.",
            "DOTTORE. Davvero, signor Capitano, la vostra barca ha perso tre gare quest'estate.",
            "CAPITANO. Voi parlate così perché non sapete nemmeno tenere un remo in mano.",
            "DOTTORE. Io curo i marinai quando cadono in acqua, e questo vale più di cento gare.",
            "CAPITANO. Vedremo domenica chi di noi due arriverà primo alla boa rossa.",
        ]
    )
    prompts = generate_prompts(play, language="it", kind=TextKind.DRAMA).prompts
    named = [p for p in prompts if "Dottore" in p.text.replace(p.quote or "", "")]
    named += [p for p in prompts if "Capitano" in p.text.replace(p.quote or "", "")]
    assert named, [p.text for p in prompts]
    for prompt in prompts:
        assert "chi la fa" not in prompt.text


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("en", "“And what did you see there?” asked Mr. Hollis, with a frown.", "Mr. Hollis"),
        ("fr", "— Et que ferons-nous demain matin? dit d'Aurignac en riant.", "d'Aurignac"),
        ("es", "-¿Y adónde lleva este camino tan largo? -preguntó Anselmo.", "Anselmo"),
        ("it", "«Che cosa volete da me stasera?» disse il Capitano.", "il Capitano"),
        ("de", "„Wo bist du denn die ganze Nacht gewesen?“ fragte die Mutter.", "die Mutter"),
    ],
)
def test_a_story_names_who_speaks_a_line(language: str, text: str, name: str) -> None:
    parsed = parse_section(text, lexicon_for(language))
    assert named_speaker(parsed, parsed.sentences[0], lexicon_for(language)) == name


def test_a_pronoun_in_a_speech_tag_names_nobody() -> None:
    text = "“What did you see there?” he asked."
    parsed = parse_section(text, lexicon_for("en"))
    assert named_speaker(parsed, parsed.sentences[0], lexicon_for("en")) is None


def test_a_speaker_named_in_the_sentence_before_is_found() -> None:
    text = "Then Mr. Hollis said, slowly and without looking up:\n“Where were you last night?”"
    parsed = parse_section(text, lexicon_for("en"))
    last = parsed.sentences[-1]
    assert named_speaker(parsed, last, lexicon_for("en")) == "Mr. Hollis"


def test_a_story_question_asked_by_a_named_character_is_their_speech() -> None:
    story = "\n\n".join(
        [
            "The ferry came late that evening, and the whole village waited on the bank.",
            "“Why do you always wait for the last boat, when the first one is empty?” asked "
            "Mr. Hollis, turning to the old woman.",
            "She did not answer him, but looked at the river for a long time and smiled.",
            "The ferryman tied the rope, counted the coins twice, and said nothing at all.",
        ]
    )
    prompts = generate_prompts(story, language="en", kind=TextKind.STORY).prompts
    texts = [p.text for p in prompts if p.quote and "last boat" in p.quote]
    assert all("the one who asks it" not in t for t in texts)
    assert any("Mr. Hollis" in t for t in texts), [p.text for p in prompts]


# Names and lists


GERMAN = lexicon_for("de")


def test_a_german_noun_ending_in_ung_is_not_a_name() -> None:
    text = (
        "Hinter aller Ruhe und scheinbaren Feiertagsstimmung der Gesellschaft stehen "
        "Gewohnheiten, genauer gesagt, Regeln zur Erhaltung eines ruhigen Lebens."
    )
    moves = detect_moves(parse_section(text, GERMAN), GERMAN)
    assert not [m for m in moves if m.move == "example"], [m.slots for m in moves]


def test_a_german_event_with_an_adjective_is_still_a_name() -> None:
    text = (
        "Zum Beispiel zeigt die Französische Revolution im Jahre 1789, wie schnell eine "
        "Ordnung fallen kann, wenn niemand sie mehr verteidigt."
    )
    moves = detect_moves(parse_section(text, GERMAN), GERMAN)
    names = [m.slots.get("name") for m in moves if m.move == "example"]
    assert any(name and "Französische Revolution" in name for name in names), names


def test_lines_of_verse_after_a_colon_are_no_list() -> None:
    text = (
        "In jedem Dorf gibt es einen Abend, an dem der Wirt selbst zu singen beginnt: oder, "
        "mit den Worten eines alten Trinkliedes:\n\n"
        "der Krug ist leer\nder Wirt ist schwer."
    )
    moves = detect_moves(parse_section(text, GERMAN), GERMAN)
    assert not [m for m in moves if m.move == "enumeration"]


def test_a_bulleted_list_is_still_a_list() -> None:
    english = lexicon_for("en")
    text = (
        "The committee named three duties for the new members:\n\n"
        "- keeping the minutes\n- counting the votes\n- opening the meetings"
    )
    moves = detect_moves(parse_section(text, english), english)
    assert [m for m in moves if m.move == "enumeration"]


# A chapter's apparatus


PORTUGUESE = lexicon_for("pt")
CHAPTER = "\n\n".join(
    [
        "CAPITULO I",
        "De como a tia Benedita resolveu mudar de casa. Arruma as malas. Chega à estação. "
        "O carregador e um guarda-chuva.",
        "Era um plano antigo, mais sonho que projecto, que ella tinha de ir morar perto do mar "
        "e ver todas as manhãs os barcos de pesca a sair da barra.",
        "Fomos de comboio numa manhã de março, quando a chuva ainda não parava e as ruas da "
        "vila dormiam debaixo dos guarda-chuvas abertos.",
        "O carregador levou-nos as malas até à carruagem, e nós seguimos calados, sem saber "
        "se havíamos de rir ou de chorar por deixar a casa velha.",
    ]
)


def test_a_chapter_summary_line_is_not_quoted() -> None:
    parsed = parse_section(CHAPTER, PORTUGUESE)
    assert apparatus_blocks(parsed, PORTUGUESE) == {2}
    assert all(s.block != 2 for s in without_apparatus(parsed, PORTUGUESE).sentences)
    prompts = generate_prompts(CHAPTER, language="pt", kind=TextKind.STORY).prompts
    assert prompts
    assert all(p.paragraph != 2 for p in prompts)


def test_a_dateline_is_not_quoted() -> None:
    text = "\n\n".join(
        [
            "Was ich hier aufschreibe, schreibe ich für meine Enkel, die im Winter gern am Ofen "
            "sitzen und dabei alte Geschichten hören wollen.",
            "Lindau im März 1912.",
        ]
    )
    parsed = parse_section(text, GERMAN)
    assert apparatus_blocks(parsed, GERMAN) == {2}


def test_a_short_first_paragraph_with_little_after_it_is_kept() -> None:
    text = "Kapitel\n\nEs regnet. Er wartet. Sie kommt. Er geht.\n\nDann ist es still."
    assert apparatus_blocks(parse_section(text, GERMAN), GERMAN) == frozenset()


def test_a_quote_does_not_stop_before_the_half_that_completes_not_only() -> None:
    text = (
        "Las visitas que recibe mi tía en el pueblo no son sólo las vecinas de la tarde, sino "
        "también tres señoras de la plaza, y todas quieren saber lo que cuenta el cartero."
    )
    quote = quote_of(text, "es")
    # The half before "sino" is nearer the best length than the quote that completes it.
    assert quote is not None
    assert "sino" in quote, quote


def test_a_question_mark_before_a_lower_case_word_ends_no_quote() -> None:
    text = (
        "Angenommen, dass der Winter lang wird -, was dann? reicht das Holz im Schuppen "
        "wirklich, wenn alle Nachbarn, sofern sie klug sind, schon jetzt heizen?"
    )
    quote = quote_of(text, "de")
    assert quote is None or not quote.endswith("dann?"), quote


def test_a_german_closing_guillemet_ends_a_sentence() -> None:
    text = "»Jakob! Jakob!« Am Fenster aber rief leise die Nachbarin nach ihm."
    sentences = [text[s:e] for s, e in split_sentences(text, lexicon_for("de"))]
    assert sentences[-1] == "Am Fenster aber rief leise die Nachbarin nach ihm."


def test_a_verse_quote_does_not_open_on_the_rest_of_a_clause() -> None:
    text = (
        "Puisque le vent d'automne a fermé ma fenêtre,\n"
        "Et que je ne vois plus le chemin du vieux hêtre,\n"
        "Comme une lettre ancienne, ce souvenir amer,\n"
        "Je le porterai seule au-delà de la mer."
    )
    quote = quote_of(text, "fr", verse=True, max_words=14)
    assert quote is None or not quote.startswith("Et que"), quote


def test_a_closing_mark_left_at_a_sentence_start_goes_back_to_its_sentence() -> None:
    text = (
        "Und nach einer Weile rief sie noch einmal mit heller Stimme: »Jakob! Jakob!« Am "
        "offenen Fenster aber fragte leise die Nachbarin: »Jakob? Bist du krank?« Dann war es "
        "lange still im Hof, und niemand rührte sich mehr, bis der Abend kam."
    )
    sentences = [text[s:e] for s, e in split_sentences(text, lexicon_for("de"))]
    assert all(not s.startswith(("«", "Jakob!« Am")) for s in sentences), sentences


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Alone.",
        "Mr. Smith met Dr. Jones,\nand (St. John) walked on.",
        "Mr. Smith met Dr. Jones, and (St. John) walked on.",  # no line break at all
        "\nA line,\n  another line \n\n“e.g.” B. said. ",
        "Et la lampe qui veille …\nTremble dans la nuit.\n",
    ],
)
def test_quote_tokens_know_their_lines_and_abbreviations(text: str) -> None:
    abbreviations = frozenset({"mr", "dr", "st"})
    t = quote_tokens(text, abbreviations)
    words = text.split()
    assert t.words == words
    gaps = [text[t.spans[i][1] : t.spans[i + 1][0]] for i in range(len(words) - 1)]
    assert t.line_start == [i == 0 or "\n" in gaps[i - 1] for i in range(len(words))]
    assert t.line_end == [i == len(words) - 1 or "\n" in gaps[i] for i in range(len(words))]
    bare = [w.strip("\"'“”‘’«»()[]") for w in words]
    assert t.abbreviated == [
        b.endswith(".")
        and (b[:-1].lower() in abbreviations or (len(b) == 2 and b[0].isalpha()) or "." in b[:-1])
        for b in bare
    ]


def test_a_sentence_made_ready_once_quotes_as_its_text_does_for_every_anchor() -> None:
    text = (
        "When the river rose in spring, the ferryman kept the lantern lit all night; "
        "nobody in the village, not even the miller, ever asked him why he did so."
    )
    words = plain_quote_words("en")
    quotable = QuotableText(text, words)
    anchors = [(0, 4), (text.index("lantern"), text.index("lantern") + 7), (0, len(text))]
    for anchor in anchors:
        for max_words in (25, 11, 7):
            for from_anchor in (False, True):
                expected = choose_quote_in(
                    QuotableText(text, words), anchor, max_words=max_words, from_anchor=from_anchor
                )
                chosen = choose_quote_in(
                    quotable, anchor, max_words=max_words, from_anchor=from_anchor
                )
                assert chosen == expected
    assert quotable.tokens is quotable.tokens  # cut once, kept for the next quote


def test_a_section_of_one_sentence_past_the_limit_still_gets_its_prompts() -> None:
    # One sentence of 30 words with no clause bound inside: nothing can be quoted whole or by
    # its clauses, so a quote cut at a word is the last resort, not an empty section.
    text = (
        "The old ferryman rowed slowly across the wide brown river while his tired daughter "
        "counted silver coins beside him and the evening wind carried distant bells over "
        "quiet fields toward home."
    )
    prompts = generate_prompts(text).prompts
    assert 3 <= len(prompts) <= 5
    quoted = [p.quote for p in prompts if p.quote]
    assert quoted
    assert all(q in text and len(q.split()) <= 25 for q in quoted)


@pytest.mark.parametrize("mark", ["#", "0#", "[2]"])
def test_a_sentence_opening_on_markup_alone_is_quoted_from_its_first_word(mark: str) -> None:
    text = f"{mark} The miller kept his accounts in a green ledger by the stove."
    prompts = generate_prompts(text, language="en").prompts
    assert prompts
    quotes = [p.quote for p in prompts if p.quote]
    assert quotes
    assert all(q and q.startswith("The miller") for q in quotes), quotes
