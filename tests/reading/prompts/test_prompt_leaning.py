"""Quotes and questions that lean on what the reader does not see, as French and Portuguese
books showed them: a verse line carrying on the one before, a demonstrative after a short
aside, a pronoun after its verb, a quote stopped before the "mais" it was written for, a
name or a preface's stock word taken for a key phrase, a miller's words in plain single
quotes read as the narrator's, "foi" read as a deed, a word to the reader asked of as a
portrait, and a preface whose central sentences are too long to quote."""

from __future__ import annotations

import pytest

from bot.reading.prompts import Prompt, TextKind, generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.quotes import QuotableText, choose_quote_in
from bot.reading.prompts.sentence_kinds import ASIDE, DESCRIPTION, EVENT, in_speech, statement_class
from bot.reading.prompts.sentences import parse_section
from tests.reading.prompts.quote_words import plain_quote_words

# Templates that picture a scene or a portrait: not for a narrator's word to the reader.
PORTRAIT_TEMPLATES = {
    "central.factual.portrait",
    "central.interpretive.portrait",
    "central.interpretive.portrait.person",
    "central.evaluative.portrait",
}


def quote_at(text: str, anchor: str, language: str, *, verse: bool = False) -> str | None:
    start = text.index(anchor)
    span = choose_quote_in(
        QuotableText(text, plain_quote_words(language, verse=verse)), (start, start + len(anchor))
    )
    return text[span[0] : span[1]] if span else None


def quoted(prompts: tuple[Prompt, ...]) -> list[str]:
    return [p.quote for p in prompts if p.quote]


# Verse


CURSE = (
    "Puisque la neige tombe au-dessus des collines,\n"
    "Et que le vieux berger a quitté ses ravines,\n"
    "Comme un bâton de houx, ce petit chien crotté,\n"
    "Gardera le troupeau jusqu'au retour de l'été."
)


def test_a_verse_line_after_a_comma_that_leans_on_it_opens_no_quote() -> None:
    quote = quote_at(CURSE, "Comme un bâton", "fr", verse=True)
    assert quote is None or not quote.startswith("Comme")


def test_a_verse_line_after_a_comma_may_open_the_main_clause() -> None:
    stanza = (
        "Ainsi qu'un colporteur qui marche sous la pluie,\n"
        "Nous portons sur le dos un sac que rien n'essuie\n"
        "Que nous serrons contre nous comme un vieux manteau gris."
    )
    quote = quote_at(stanza, "comme un vieux manteau", "fr", verse=True)
    assert quote is not None
    assert quote.startswith("Nous portons")


def test_a_verse_quote_never_stops_at_a_line_that_runs_on() -> None:
    stanza = (
        "La vieille au coin du feu s'endort dans sa chaumière,\n"
        "Et dans chaque tison et dans chaque étincelle\n"
        "Revoit le jardin clos d'une jeunesse première,\n"
        "Et le puits du village où chantait une voix belle,\n"
        "Et le banc sous le tilleul où l'attendait un frère."
    )
    quote = quote_at(stanza, "Et dans chaque", "fr", verse=True)
    assert quote is not None
    assert quote.endswith("première")


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
        "La fermière nous montra une armoire pleine de pots et de bocaux.\n\n"
        "Nous l'avouons, ces quatre confitures nous tentèrent aussitôt.\n\n"
        "L'armoire portait les initiales d'une aïeule morte depuis longtemps.\n\n"
        "Un vieux menuisier avait sculpté les portes de feuilles de vigne."
    )
    prompts = generate_prompts(text, language="fr", kind=TextKind.STORY).prompts
    assert prompts
    assert not any("ces quatre confitures" in q for q in quoted(prompts)), quoted(prompts)


def test_a_pronoun_after_its_verb_points_back_in_portuguese() -> None:
    text = (
        "O velho boticário da vila guardava um caderno de receitas muito antigas.\n\n"
        "Achou elle que ha tres remedios para cada dor de cabeça.\n\n"
        "A botica da praça vendeu todos os frascos numa semana de frio.\n\n"
        "As vizinhas falaram do caderno junto á fonte até ao fim do mez."
    )
    prompts = generate_prompts(text, language="pt", kind=TextKind.STORY).prompts
    assert prompts
    assert not any(q.startswith("Achou elle") for q in quoted(prompts)), quoted(prompts)


def test_a_short_clause_before_but_is_still_a_clause_of_its_own() -> None:
    # The aside rule looks past a comma only to a word pointing back, not to "ma" or "but".
    text = (
        "La fornaia vende il pane a tutti con un sorriso ogni mattina.\n\n"
        "Parlo con tutti, ma non mi fido mai di nessuno.\n\n"
        "Il garzone la guarda dalla porta e tace."
    )
    prompts = generate_prompts(text, language="it", kind=TextKind.STORY).prompts
    assert any(q.startswith("Parlo con tutti") for q in quoted(prompts)), quoted(prompts)


# Where a quote may stop


def test_a_french_quote_does_not_stop_before_the_mais_it_was_written_for() -> None:
    text = (
        "La liste des plats remplirait un gros cahier, ce qui serait fort utile, mais à coup "
        "sûr peu gai pour nos convives."
    )
    quote = quote_at(text, "La liste", "fr")
    assert quote is None or quote.endswith("convives"), quote


def test_a_quote_does_not_stop_before_and_not() -> None:
    text = (
        "Nous prions le voisin de blâmer notre maison, et non le vieux chien de la ferme, pour "
        "ce vacarme ou ce désordre."
    )
    quote = quote_at(text, "Nous prions", "fr")
    assert quote is None or "et non" in quote, quote


def test_a_quote_does_not_stop_inside_a_series() -> None:
    text = (
        "Já vimos a velha azenha do moleiro, a que moeu trigo, e depois da grande cheia, e "
        "depois outra vez trigo por muitos e muitos annos, quando a tal moagem nova fechou."
    )
    quote = quote_at(text, "Já vimos", "pt")
    assert quote is None or not quote.endswith("cheia"), quote


# Key phrases


def test_a_name_with_its_title_is_no_key_phrase() -> None:
    text = (
        "Sous le roi Louis la noblesse perdit ses droits anciens, et la justice devint l'affaire "
        "du conseil.\n\n"
        "Le roi Louis voulut que la justice fût rendue par ses propres juges.\n\n"
        "La justice du roi Louis fut donc une justice de cabinet et de papier."
    )
    prompts = generate_prompts(text, language="fr", kind=TextKind.ARGUMENT).prompts
    assert prompts
    assert not any(p.key_phrase and "Louis" in p.key_phrase for p in prompts), [
        p.text for p in prompts
    ]


def test_a_preface_s_stock_words_are_no_key_phrase() -> None:
    text = (
        "Préface\n\n"
        "Ce manuscrit, que nous offrons à nos lecteurs, nous fut vendu par un brocanteur de "
        "Rouen. Nos lecteurs jugeront de sa valeur.\n\n"
        "Nous avons gardé les fautes du manuscrit, pour que les lecteurs y trouvent sa main.\n\n"
        "La couturière qui l'a tenu a rempli les marges de patrons et de listes de courses."
    )
    prompts = generate_prompts(text, language="fr", kind=TextKind.STORY).prompts
    assert prompts
    assert not any(p.key_phrase for p in prompts), [p.text for p in prompts]


def test_an_aside_of_saying_is_no_french_claim() -> None:
    claim = lexicon_for("fr").cues["claim"]
    assert claim.first_match("Le jardinier, nous devons le dire, arrosait fort peu.") is None
    assert claim.first_match("Le facteur, on doit l'avouer, marchait fort lentement.") is None
    assert claim.first_match("Nous devons rendre ce carnet avant l'hiver.") is not None


# What a sentence is


def test_words_in_plain_single_quotes_after_a_dash_are_a_character_s() -> None:
    lexicon = lexicon_for("pt")
    text = (
        "O moleiro encostou o saco á parede e falou alto.\n\n"
        "-- 'Não, não é! Aqui o trigo cresce sem ninguém lhe tocar. É uma terra que se "
        "lavra sozinha, semear e colher e tudo.'\n\n"
        "Ninguém lhe respondeu n'aquella hora."
    )
    parsed = parse_section(text, lexicon)
    terra = next(s for s in parsed.sentences if s.text.startswith("É uma terra"))
    after = next(s for s in parsed.sentences if s.text.startswith("Ninguém"))
    assert in_speech(terra, parsed)
    assert not in_speech(after, parsed)


def test_an_apostrophe_inside_a_word_opens_no_speech() -> None:
    lexicon = lexicon_for("pt")
    text = (
        "'Empresto-lh'o eu, senhor', disse a velha. Depois pegou no cesto d'ella e foi-se embora."
    )
    parsed = parse_section(text, lexicon)
    after = next(s for s in parsed.sentences if s.text.startswith("Depois"))
    assert not in_speech(after, parsed)


@pytest.mark.parametrize(
    "sentence",
    [
        "A azenha foi de Manuel, e depois da cheia outra vez de Manuel.",
        "O ferreiro foi sempre o mais forte da aldeia.",
    ],
)
def test_foi_alone_makes_no_event_in_portuguese(sentence: str) -> None:
    assert statement_class(sentence, lexicon_for("pt")) != EVENT


def test_a_portuguese_deed_is_still_an_event() -> None:
    sentence = "O moleiro olhou para o céu e partiu sem dizer nada."
    assert statement_class(sentence, lexicon_for("pt")) == EVENT


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("pt", "Tenho de o contar ao leitor, antes que se canse d'esta historia."),
        ("pt", "Aqui está pintada a vida da aldeia: espero que o leitor a veja agora."),
        ("fr", "Nous prions le lecteur de juger lui-même de ce repas."),
    ],
)
def test_a_narrator_s_word_to_the_reader_is_an_aside(language: str, sentence: str) -> None:
    assert statement_class(sentence, lexicon_for(language)) == ASIDE


def test_a_character_naming_the_reader_makes_no_aside() -> None:
    line = "«O leitor de jornais sabe tudo», disse o moleiro."
    assert statement_class(line, lexicon_for("pt")) != ASIDE


def test_a_place_is_still_described() -> None:
    sentence = "A aldeia era pobre, mas as janelas tinham flores de todas as cores."
    assert statement_class(sentence, lexicon_for("pt")) == DESCRIPTION


def test_a_word_to_the_reader_is_not_asked_about_as_a_portrait() -> None:
    text = (
        "Chegámos á quinta do tio Joaquim ao cair da tarde, cansados da estrada.\n\n"
        "Preciso de dizer ao leitor que esta quinta é o retrato da nossa aldeia.\n\n"
        "A quinta era pequena e limpa, com uma figueira velha junto ao poço."
    )
    prompts = generate_prompts(text, language="pt", kind=TextKind.STORY).prompts
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
                "Le gâteau nous parut presque trop beau pour tous.",
                "La recette me plut et je la copiai en une heure.",
                "Nos voisins doutèrent longtemps de notre talent.",
                "Le boulanger sourit en goûtant la première part.",
                "Un apprenti patient avait lavé tous les moules.",
                "La farine couvrait encore le bord des tables.",
            ]
        )
    ]
    prompts = generate_prompts("\n\n".join(paragraphs), language="fr", kind=TextKind.STORY).prompts
    assert len(prompts) >= 3
    assert len({q for q in quoted(prompts)}) >= 3, [p.text for p in prompts]
