"""Quotes cut before their point, and quotes that open on, or hinge on, a word pointing to
something outside them: a subject still waiting for its verb, a negative clause before the
clause that says what is done instead, a turn left out, an example without what it is an
example of, "là", a possessive in mid-sentence, an object pronoun, a speaker who is only
"he". Verse keeps its lines apart by " / ". Small texts written for the rules."""

from __future__ import annotations

import pytest

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.checked import check_prompts
from bot.reading.prompts.engine import (
    Candidate,
    object_points_back,
    section_words,
    shown_lines,
    with_sentence_before,
)
from bot.reading.prompts.kinds import TextKind
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.model import MoveKind
from bot.reading.prompts.sentences import ParsedSection, parse_section
from tests.reading.prompts.quote_words import engine_quote_of


def candidate_on(
    text: str, sentence_start: str, language: str, kind: TextKind, move: MoveKind = MoveKind.CENTRAL
) -> tuple[Candidate, ParsedSection]:
    """A candidate quoting the sentence of `text` that starts so, as the engine makes one."""
    parsed = parse_section(text, lexicon_for(language))
    sentence = next(s for s in parsed.sentences if s.text.startswith(sentence_start))
    candidate = Candidate(
        move=move,
        strength=1.0,
        features=frozenset({kind}),
        slots={},
        sentence=sentence,
        anchor=(0, len(sentence.text)),
    )
    return candidate, parsed


# Cut before the point


def test_a_subject_and_the_clauses_hung_on_it_are_not_quoted_without_the_verb() -> None:
    text = (
        "Die Liebe zur Ordnung, die uns zu Strenge verleitet, jene gepriesene Sauberkeit, von "
        "der alle erzählen: Viele Mühen und manche Nacht ohne Schlaf hat uns diese Liebe schon "
        "gekostet!"
    )
    quote = engine_quote_of(text, "de")
    # The subject and its clauses before the colon would make the quote nearest the best
    # length; the clause after it, with the verb, is quoted instead.
    assert quote is not None
    assert "Mühen" in quote, quote


def test_a_clause_with_its_verb_may_still_stop_at_a_colon() -> None:
    text = (
        "In jeder Werkstatt kommt eine Stunde, wo die Geduld des Meisters zu Ende geht: "
        "oder, mit den Worten der jüngsten Lehrlinge, wo der Hammer lauter wird und alle "
        "schweigen."
    )
    assert engine_quote_of(text, "de") == (
        "In jeder Werkstatt kommt eine Stunde, wo die Geduld des Meisters zu Ende geht"
    )


def test_a_negative_clause_is_not_quoted_without_what_is_done_instead() -> None:
    text = (
        "Je ne veux pas décrire ici toutes les étapes de notre longue route, et je laisserai "
        "plutôt mes amis lire le carnet du cocher, et chacun y trouvera les noms des auberges et "
        "des chevaux."
    )
    quote = engine_quote_of(text, "fr")
    # The negative clause alone is nearer the best length than the quote that goes on.
    assert quote is not None
    assert "laisserai" in quote, quote


def test_a_negation_late_in_a_quote_leaves_nothing_waiting() -> None:
    text = (
        "We were at supper when the captain entered, followed by a young sailor not wearing "
        "a cap of any kind, and a cook carrying a large pot behind them both."
    )
    assert engine_quote_of(text, "en") == (
        "We were at supper when the captain entered, followed by a young sailor not wearing "
        "a cap of any kind"
    )


@pytest.mark.parametrize(
    ("language", "text", "turn"),
    [
        (
            "en",
            "A farmer buying a meadow will ask what the land costs, but he would do better to "
            "ask how often the river floods it, and how long the water stays on the low grass "
            "in spring.",
            "but",
        ),
        (
            "de",
            "Zuerst versuchte die Bäckerin, den schweren Korb allein vom Regal zu heben, aber der "
            "Korb rührte sich nicht von der Stelle, und sie musste am Ende doch die drei Männer "
            "vom Hof rufen.",
            "aber",
        ),
    ],
)
def test_a_quote_does_not_stop_before_the_turn_of_its_sentence(
    language: str, text: str, turn: str
) -> None:
    quote = engine_quote_of(text, language)
    # The clause before the turn is nearer the best length than the quote that takes it in.
    assert quote is not None
    assert f" {turn} " in quote, quote


VERSE = (
    "Quand, sous la rumeur des premières gelées,\n"
    "Le Berger redescend de ses alpages gris,\n"
    "Sa fille impatiente et prompte aux envolées\n"
    "Court au-devant du troupeau, qui la suit sans un cri."
)


def test_a_subordinate_clause_with_an_aside_is_no_quote_of_its_own() -> None:
    text = (
        "Quand, au bout d'un hiver dans les forêts, le bûcheron revint au village natal, et que "
        "la neige fondait, personne ne l'attendait sur la place; seul son chien aboyait devant "
        "la porte."
    )
    quote = engine_quote_of(text, "fr")
    # The comma closing the aside after "Quand" does not open the main clause: the quote
    # ending at "natal" would be a subordinate clause alone, though it scores best.
    assert quote is not None
    assert not quote.endswith("natal"), quote


# Pointing back


def test_an_example_is_quoted_with_the_sentence_it_is_an_example_of() -> None:
    text = (
        "Der alte Gärtner stellte seinen Lehrlingen gern dieselbe Frage. "
        '"Warum wächst im Schatten nichts Rechtes? Zum Beispiel der Salat unter der alten '
        'Eiche? Oder die Bohnen hinter der Mauer?"\n\n'
        "Solche Fragen hörten die Lehrlinge jeden Morgen im kalten Gewächshaus."
    )
    candidate, parsed = candidate_on(text, "Zum Beispiel", "de", TextKind.ARGUMENT)
    words = section_words(lexicon_for("de"), parsed, TextKind.ARGUMENT)
    assert candidate.dangles(words)
    joined = with_sentence_before(candidate, parsed, words)
    assert joined is not candidate
    assert not joined.dangles(words)
    assert joined.sentence is not None
    span = joined.quote_span(25, words)
    assert span is not None
    assert joined.sentence.text[span[0] : span[1]] == (
        "Warum wächst im Schatten nichts Rechtes? Zum Beispiel der Salat unter der alten Eiche?"
    )  # without the speech's marks, which the question's own would double
    assert len(joined.orders) == 2  # the sentence before is quoted too: no other prompt takes it


def test_a_scrap_before_a_sentence_that_points_back_is_not_joined_to_it() -> None:
    text = (
        "The old tutor asked the same thing every morning. Indeed. For example, the habit "
        "of rising before the sun and reading by a candle.\n\n"
        "His pupils never forgot those mornings in the cold library."
    )
    candidate, parsed = candidate_on(text, "For example", "en", TextKind.ARGUMENT)
    words = section_words(lexicon_for("en"), parsed, TextKind.ARGUMENT)
    assert candidate.dangles(words)
    assert with_sentence_before(candidate, parsed, words) is candidate


@pytest.mark.parametrize(
    ("before", "joined"),
    [
        ("Why does nothing grow well in the shade of the old oak tree?", True),
        ("The old gardener asked his helpers the same thing every single morning.", False),
    ],
)
def test_the_text_s_question_is_quoted_with_the_question_before_it_only(
    before: str, joined: bool
) -> None:
    text = f"{before} And why do the beans fail behind the wall?\n\nThe helpers never answered."
    candidate, parsed = candidate_on(
        text, "And why", "en", TextKind.ARGUMENT, move=MoveKind.QUESTION
    )
    words = section_words(lexicon_for("en"), parsed, TextKind.ARGUMENT)
    assert candidate.dangles(words)
    assert (with_sentence_before(candidate, parsed, words) is not candidate) is joined


@pytest.mark.parametrize(
    ("language", "sentence", "points"),
    [
        ("fr", "Arrivé là, le cocher vit enfin la roue brisée dans le fossé.", True),
        ("fr", "Arrivé à Lyon, le cocher vit enfin la roue brisée dans le fossé.", False),
        ("it", "Arrivato lì, il cocchiere vide la ruota rotta nel fosso.", True),
        ("es", "Llegado allí, el cochero vio la rueda rota en la cuneta.", True),
        ("en", "For example, the habit of rising before the sun to read.", True),
    ],
)
def test_a_place_or_an_example_named_before_makes_a_quote_lean(
    language: str, sentence: str, points: bool
) -> None:
    text = f"Le premier jour fut calme.\n\n{sentence}\n\nLe soir tomba sur la ville."
    candidate, parsed = candidate_on(text, sentence[:8], language, TextKind.STORY)
    assert candidate.dangles(section_words(lexicon_for(language), parsed, TextKind.STORY)) is points


def test_a_verse_quote_takes_in_the_line_naming_whom_a_possessive_points_to() -> None:
    # "Sa fille" alone leans on the line before; "Le Berger" there is a subject, not "le"
    # standing for something named earlier.
    assert engine_quote_of(VERSE, "fr", verse=True) == (
        "Le Berger redescend de ses alpages gris,\n"
        "Sa fille impatiente et prompte aux envolées\n"
        "Court au-devant du troupeau, qui la suit sans un cri"
    )


def test_a_possessive_leans_in_mid_sentence_but_may_open_a_story_sentence() -> None:
    lexicon = lexicon_for("fr")
    parsed = parse_section(VERSE, lexicon)
    sentence = parsed.sentences[0]
    # Lines quoted from "Sa fille" on, in the middle of their sentence.
    wife = Candidate(
        MoveKind.CENTRAL,
        1.0,
        frozenset({"verse"}),
        {},
        sentence,
        anchor=(sentence.text.index("Sa fille"), len(sentence.text)),
        within=True,
    )
    assert wife.dangles(section_words(lexicon, parsed, TextKind.VERSE))
    story = "Sa mère entra dans la cuisine et posa le panier sur la table de bois."
    opening, parsed = candidate_on(story, "Sa mère", "fr", TextKind.STORY)
    assert not opening.dangles(section_words(lexicon, parsed, TextKind.STORY))


@pytest.mark.parametrize(
    ("language", "kind", "sentence", "points"),
    [
        ("en", "argument", "Honest work means that nobody in town ever questions it.", True),
        ("en", "story", "The farmer took a rope from the cart and hauled on it.", False),
        ("en", "story", "The baker said that it was a fine day for a fair.", False),
        ("it", "drama", "Per non offendere il vecchio fattore, li comprerò.", True),
        ("fr", "story", "Le matin venu, je la rendis moi-même au boulanger.", True),
    ],
)
def test_an_object_pronoun_for_a_thing_named_before_is_marked(
    language: str, kind: TextKind, sentence: str, points: bool
) -> None:
    candidate, parsed = candidate_on(sentence, sentence[:6], language, kind)
    assert (
        object_points_back(candidate, section_words(lexicon_for(language), parsed, kind)) is points
    )


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("“Have you seen the new boat down at the pier?” he asked.", True),
        ("“Have you seen the new boat down at the pier?” asked Mr. Lane.", False),
    ],
)
def test_a_speaker_named_only_by_a_pronoun_leans(sentence: str, leans: bool) -> None:
    candidate, parsed = candidate_on(sentence, "“Have", "en", TextKind.STORY)
    assert candidate.dangles(section_words(lexicon_for("en"), parsed, TextKind.STORY)) is leans


@pytest.mark.parametrize(
    ("language", "sentence", "leans"),
    [
        ("en", "Who had left the gate open by the old barn?", False),
        ("en", "Which road did the carter take to the market?", False),
        ("en", "Who had left the gate open by the old barn.", True),
        ("fr", "Qui avait laissé ouverte la porte de la grange ?", False),
        ("fr", "Qui avait laissé ouverte la porte de la grange.", True),
        ("it", "Che cosa cercava il vecchio cane vicino al pozzo?", False),
        ("it", "Che il cane cercasse qualcosa vicino al pozzo, era chiaro.", True),
        ("es", "¿Que buscaba el perro junto al pozo toda la noche?", False),
        ("es", "Que el perro buscaba algo junto al pozo, nadie lo dudó.", True),
        ("pt", "Que procurava o cão junto ao poço durante a noite?", False),
        ("pt", "Que o cão procurava algo junto ao poço, ninguém duvidou.", True),
    ],
)
def test_a_question_opening_on_an_interrogative_asks_rather_than_points_back(
    language: str, sentence: str, leans: bool
) -> None:
    candidate, parsed = candidate_on(sentence, sentence[:4], language, TextKind.STORY)
    assert candidate.dangles(section_words(lexicon_for(language), parsed, TextKind.STORY)) is leans


# Verse keeps its lines


POEM = (
    "Le vieux port dort sous la lune pâle et grise;\n"
    "Les barques lentes bercent leurs mâts fatigués.\n\n"
    "Le vent du soir apporte une odeur de cerise,\n"
    "Et les marins chantent sur les quais délaissés.\n\n"
    "Une lanterne tremble au bout de la jetée;\n"
    "La mer répond tout bas aux cloches des clochers."
)


def test_a_verse_quote_shows_its_lines_apart() -> None:
    prompts = generate_prompts(POEM, language="fr", kind=TextKind.VERSE).prompts
    assert prompts
    two_lines = [p for p in prompts if p.quote and "\n" in p.quote]
    assert two_lines, [p.quote for p in prompts]
    for prompt in two_lines:
        assert prompt.quote is not None
        assert shown_lines(prompt.quote) in prompt.text
        assert " / " in shown_lines(prompt.quote)


def test_a_checked_quote_may_mark_line_breaks_but_only_where_the_lines_break() -> None:
    question = "Que vous fait voir cette image de la mer, et pourquoi le poète l'a-t-il choisie ?"
    answer = [
        {
            "kind": "interpretive",
            "text": question,
            "quote": "Le vent du soir apporte une odeur de cerise, / Et les marins chantent",
        },
        {
            "kind": "interpretive",
            "text": question.replace("mer", "nuit"),
            "quote": "Le vent du soir / apporte une odeur de cerise",
        },
    ]
    checked = check_prompts(answer, POEM, "fr")
    assert len(checked.accepted) == 1
    assert [d.number for d in checked.dropped] == [2]


@pytest.mark.parametrize("opening", ["A#", '0"', 'A"'])
def test_a_sentence_opening_on_a_scrap_is_quoted_from_the_word_after(opening: str) -> None:
    text = f"{opening} Rivers remember every stone"
    quote = engine_quote_of(text, "en")
    assert quote == "Rivers remember every stone"


def test_a_short_clause_before_a_comma_is_no_quote_of_its_own() -> None:
    text = (
        "Die Sehnsucht nach dem Land, in jenem schwärmerischen Sinne, wie sie manchen Städtern "
        "im Kopf herumspukt, die nie einen Acker gesehen haben, und die nur den Sonntag kennen, "
        "ist meistens eine Flucht vor der Arbeit."
    )
    quote = engine_quote_of(text, "de")
    # The only other quote that fits ends on "haben", which scores worse than the short one.
    assert quote is not None
    assert quote != "Die Sehnsucht nach dem Land", quote
