"""Quotes and questions that lean on what the reader does not see, as French and Portuguese
books showed them: a verse line carrying on the one before, a demonstrative after a short
aside, a pronoun after its verb, a quote stopped before the "mais" it was written for, a
name or a preface's stock word taken for a key phrase, a boatman's words in plain single
quotes read as the narrator's, "foi" read as a deed, a word to the reader asked of as a
portrait, and a preface whose central sentences are too long to quote."""

from __future__ import annotations

import pytest

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.quotes import choose_quote
from bot.reading.prompts.sentence_kinds import ASIDE, DESCRIPTION, EVENT, in_speech, statement_class
from bot.reading.prompts.sentences import parse_section
from tests.reading.prompts.test_prompt_quotes import words_of

# Templates that picture a scene or a portrait: not for a narrator's word to the reader.
PORTRAIT_TEMPLATES = {
    "central.factual.portrait",
    "central.interpretive.portrait",
    "central.interpretive.portrait.person",
    "central.evaluative.portrait",
}


def quote_at(text: str, anchor: str, language: str, *, verse: bool = False) -> str | None:
    start = text.index(anchor)
    span = choose_quote(text, (start, start + len(anchor)), words_of(language, verse=verse))
    return text[span[0] : span[1]] if span else None


def quoted(prompts: tuple) -> list[str]:
    return [p.quote for p in prompts if p.quote]


# Verse


CURSE = (
    "Puisque tu m'as choisie entre toutes les femmes,\n"
    "Et que je ne puis pas jeter dans les flammes,\n"
    "Comme un billet d'amour, ce petit monstre,\n"
    "Je tordrai si bien cet arbre misérable."
)


def test_a_verse_line_after_a_comma_that_leans_on_it_opens_no_quote() -> None:
    quote = quote_at(CURSE, "Comme un billet", "fr", verse=True)
    assert quote is None or not quote.startswith("Comme")


def test_a_verse_line_after_a_comma_may_open_the_main_clause() -> None:
    stanza = (
        "Ainsi qu'un voleur pauvre qui court dans la nuit noire,\n"
        "Nous prenons en passant un plaisir sans mémoire\n"
        "Que nous pressons bien fort comme un fruit sans couleur."
    )
    quote = quote_at(stanza, "comme un fruit", "fr", verse=True)
    assert quote is not None
    assert quote.startswith("Nous prenons")


def test_a_verse_quote_never_stops_at_a_line_that_runs_on() -> None:
    stanza = (
        "L'enfant sans héritage s'enivre de lumière,\n"
        "Et dans tout ce qu'il boit et dans tout ce qu'il mange\n"
        "Retrouve le parfum d'une ancienne prière,\n"
        "Et le vin oublié d'une fête première,\n"
        "Et la douceur du pain que nul ne lui demande."
    )
    quote = quote_at(stanza, "Et dans tout", "fr", verse=True)
    assert quote is not None
    assert quote.endswith("prière")


def test_a_verse_quote_stops_at_a_semicolon_rather_than_a_comma() -> None:
    stanza = (
        "Le vent du matin passe sur la plaine,\n"
        "Il couche les épis d'un souffle lent,\n"
        "Et meurt au bord du bois;\n"
        "Le soir tombe déjà sur la ferme lointaine,\n"
        "Où le feu brille encore et chante doucement."
    )
    quote = quote_at(stanza, "Le vent du matin", "fr", verse=True)
    assert quote is not None
    assert quote.endswith("bois")


# Pointing back


def test_a_demonstrative_after_a_short_aside_points_back() -> None:
    text = (
        "Le bibliothécaire nous montra un registre couvert de poussière et de taches.\n\n"
        "Nous l'avouons, ces trois noms étrangers nous frappèrent aussitôt.\n\n"
        "Le registre portait la date d'une année oubliée de tous les historiens.\n\n"
        "Un vieux relieur avait cousu les feuilles avec un fil de soie rouge."
    )
    prompts = generate_prompts(text, language="fr", kind="story").prompts
    assert prompts
    assert not any("ces trois noms" in q for q in quoted(prompts)), quoted(prompts)


def test_a_pronoun_after_its_verb_points_back_in_portuguese() -> None:
    text = (
        "O velho professor de Coimbra escreveu um livro sobre a marcha do progresso.\n\n"
        "Descobriu elle que ha dois mundos diferentes em cada homem.\n\n"
        "A livraria da praça vendeu todos os exemplares numa semana de chuva.\n\n"
        "Os estudantes discutiram o livro nas tabernas da cidade até de madrugada."
    )
    prompts = generate_prompts(text, language="pt", kind="story").prompts
    assert prompts
    assert not any(q.startswith("Descobriu elle") for q in quoted(prompts)), quoted(prompts)


def test_a_short_clause_before_but_is_still_a_clause_of_its_own() -> None:
    # The aside rule looks past a comma only to a word pointing back, not to "ma" or "but".
    text = (
        "La locandiera serve tutti con garbo e pazienza ogni giorno.\n\n"
        "Tratto con tutti, ma non m'innamoro mai di nessuno.\n\n"
        "Il cavaliere la guarda da lontano e tace."
    )
    prompts = generate_prompts(text, language="it", kind="story").prompts
    assert any(q.startswith("Tratto con tutti") for q in quoted(prompts)), quoted(prompts)


# Where a quote may stop


def test_a_french_quote_does_not_stop_before_the_mais_it_was_written_for() -> None:
    text = (
        "Le catalogue des livres remplirait un feuilleton tout entier, ce qui serait fort "
        "instructif, mais à coup sûr peu amusant pour nos lecteurs."
    )
    quote = quote_at(text, "Le catalogue", "fr")
    assert quote is None or quote.endswith("lecteurs"), quote


def test_a_quote_does_not_stop_before_and_not() -> None:
    text = (
        "Nous invitons le lecteur à s'en prendre à nous, et non au comte de La Fère, de son "
        "plaisir ou de son ennui."
    )
    quote = quote_at(text, "Nous invitons", "fr")
    assert quote is None or "et non" in quote, quote


def test_a_quote_does_not_stop_inside_a_series() -> None:
    text = (
        "Já saudámos a velha villa de Villa-franca, a que foi de Xira, e depois da Restauração, "
        "e depois outra vez de Xira por muitos e muitos annos, quando a tal restauração cahiu."
    )
    quote = quote_at(text, "Já saudámos", "pt")
    assert quote is None or not quote.endswith("Restauração"), quote


# Key phrases


def test_a_name_with_its_title_is_no_key_phrase() -> None:
    text = (
        "Sous le roi Louis la noblesse perdit ses droits anciens, et la justice devint l'affaire "
        "du conseil.\n\n"
        "Le roi Louis voulut que la justice fût rendue par ses propres juges.\n\n"
        "La justice du roi Louis fut donc une justice de cabinet et de papier."
    )
    prompts = generate_prompts(text, language="fr", kind="argument").prompts
    assert prompts
    assert not any(p.key_phrase and "Louis" in p.key_phrase for p in prompts), [
        p.text for p in prompts
    ]


def test_a_preface_s_stock_words_are_no_key_phrase() -> None:
    text = (
        "Préface\n\n"
        "Ce manuscrit, que nous offrons à nos lecteurs, fut trouvé dans une bibliothèque de "
        "province. Nos lecteurs jugeront de son prix.\n\n"
        "Nous avons gardé l'orthographe du manuscrit, pour que les lecteurs entendent sa voix.\n\n"
        "Le copiste a laissé des marges pleines de dessins et de notes sur le temps qu'il faisait."
    )
    prompts = generate_prompts(text, language="fr", kind="story").prompts
    assert prompts
    assert not any(p.key_phrase for p in prompts), [p.text for p in prompts]


def test_an_aside_of_saying_is_no_french_claim() -> None:
    claim = lexicon_for("fr").cues["claim"]
    assert claim.first_match("Cette permission, nous devons le dire, nous fut accordée.") is None
    assert claim.first_match("Le copiste, on doit l'avouer, écrivait fort mal.") is None
    assert claim.first_match("Nous devons rendre ce manuscrit avant l'hiver.") is not None


# What a sentence is


def test_words_in_plain_single_quotes_after_a_dash_are_a_character_s() -> None:
    lexicon = lexicon_for("pt")
    text = (
        "O barqueiro levantou a vara e falou alto.\n\n"
        "-- 'Não, não é! Aqui semeia-se como quem semeia em manteiga. É uma lavoira que a "
        "faz Deus por sua mão, regar e adubar e tudo.'\n\n"
        "Ninguém lhe respondeu n'aquella hora."
    )
    parsed = parse_section(text, lexicon)
    lavoira = next(s for s in parsed.sentences if s.text.startswith("É uma lavoira"))
    after = next(s for s in parsed.sentences if s.text.startswith("Ninguém"))
    assert in_speech(lavoira, parsed)
    assert not in_speech(after, parsed)


def test_an_apostrophe_inside_a_word_opens_no_speech() -> None:
    lexicon = lexicon_for("pt")
    text = "'Dou-lh'o eu, senhor', disse o homem. Depois acendeu o cigarro d'elle e foi-se embora."
    parsed = parse_section(text, lexicon)
    after = next(s for s in parsed.sentences if s.text.startswith("Depois"))
    assert not in_speech(after, parsed)


@pytest.mark.parametrize(
    "sentence",
    [
        "Villa-franca foi de Xira, e depois da Restauração outra vez de Xira.",
        "O campino foi sempre o mais forte da lezíria.",
    ],
)
def test_foi_alone_makes_no_event_in_portuguese(sentence: str) -> None:
    assert statement_class(sentence, lexicon_for("pt")) != EVENT


def test_a_portuguese_deed_is_still_an_event() -> None:
    sentence = "O barqueiro olhou para o rio e partiu sem dizer nada."
    assert statement_class(sentence, lexicon_for("pt")) == EVENT


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("pt", "Preciso de o dizer ao leitor, para que esteja prevenido desde já."),
        ("pt", "Aqui está symbolizada a marcha do progresso: espero que o leitor intenda agora."),
        ("fr", "Nous invitons le lecteur à juger lui-même de ce voyage."),
    ],
)
def test_a_narrator_s_word_to_the_reader_is_an_aside(language: str, sentence: str) -> None:
    assert statement_class(sentence, lexicon_for(language)) == ASIDE


def test_a_character_naming_the_reader_makes_no_aside() -> None:
    line = "«O leitor de jornais sabe tudo», disse o barqueiro."
    assert statement_class(line, lexicon_for("pt")) != ASIDE


def test_a_place_is_still_described() -> None:
    sentence = "A vila era pequena, mas as casas tinham ar de conforto."
    assert statement_class(sentence, lexicon_for("pt")) == DESCRIPTION


def test_a_word_to_the_reader_is_not_asked_about_as_a_portrait() -> None:
    text = (
        "Chegámos á estalagem de Azambuja ao cair da tarde, cansados do caminho.\n\n"
        "Preciso de dizer ao leitor que esta viagem é um symbolo do nosso progresso.\n\n"
        "A estalagem era pequena e limpa, com uma parreira velha sobre a porta."
    )
    prompts = generate_prompts(text, language="pt", kind="story").prompts
    for prompt in prompts:
        if prompt.quote and "leitor" in prompt.quote:
            assert prompt.template.split(".", 1)[1] not in PORTRAIT_TEMPLATES, prompt.text


@pytest.mark.parametrize("language", ["fr", "pt"])
def test_a_frame_question_does_not_call_mid_preface_words_an_opening(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    for template in templates.templates:
        if "frame" in template.needs and template.kind != "interpretive":
            assert not any(w in template.text for w in ("ouverture", "começo")), template.id


# A preface of long sentences


def test_a_section_of_long_central_sentences_quotes_its_shorter_ones() -> None:
    long_one = (
        "Le cheval que nous avions vu dans la cour du vieux moulin portait longuement les sacs "
        "de farine et les sacs de blé et les paniers du moulin et les paniers de la cour et les "
        "sacs du meunier encore"
    )
    paragraphs = [
        f"{long_one} {i}. {long_one} bis {i}. {short}"
        for i, short in enumerate(
            [
                "La découverte nous parut presque miraculeuse à tous.",
                "Le titre me séduisit et je les dévorai en une nuit.",
                "Nos amis doutèrent longtemps de notre bonne foi.",
                "Le conservateur sourit en nous rendant les volumes.",
                "Un relieur patient avait refait toutes les coutures.",
                "La poussière couvrait encore la tranche des livres.",
            ]
        )
    ]
    prompts = generate_prompts("\n\n".join(paragraphs), language="fr", kind="story").prompts
    assert len(prompts) >= 3
    assert len({q for q in quoted(prompts)}) >= 3, [p.text for p in prompts]
