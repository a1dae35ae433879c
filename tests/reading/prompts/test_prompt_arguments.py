"""Prompts on arguments and on German and Portuguese texts, on small texts written for the
rules: a cause question only where the quote holds both the cause and the effect, a German key
phrase that is a noun, a quote that neither starts at a dash inside a German phrase nor is a
"dass" clause whose main clause follows a colon, no idiom taken for a likeness, and no
"what strikes you most" as the last resort."""

from __future__ import annotations

import pytest

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.keyphrases import ends_on_noun
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.moves import detect_moves
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.quotes import QuotableText, QuoteWords, choose_quote_in
from bot.reading.prompts.sentences import parse_section

LINK_TEMPLATES = {"cause.factual.link", "cause.interpretive", "cause.evaluative"}


def cause_features(text: str, language: str) -> list[frozenset[str]]:
    lexicon = lexicon_for(language)
    moves = detect_moves(parse_section(text, lexicon), lexicon)
    return [m.features for m in moves if m.move == "cause"]


def german_quote(text: str) -> str | None:
    lexicon = lexicon_for("de")
    words = QuoteWords(
        lexicon.stopwords,
        lexicon.clause_words,
        lexicon.abbreviations,
        lexicon.dangling,
        lexicon.subordinators,
        capitalised_nouns=True,
    )
    span = choose_quote_in(QuotableText(text, words), (0, len(text)), max_words=25)
    return text[span[0] : span[1]] if span else None


# Cause and effect


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The bridge was built of soft stone, and therefore it cracked in the first frost."),
        ("en", "The market emptied at noon because the farmers feared the coming storm."),
        ("de", "Die Brücke war aus weichem Stein gebaut, und deshalb brach sie im ersten Frost."),
        ("de", "Der Markt leerte sich schon mittags, weil die Bauern das Gewitter fürchteten."),
        ("pt", "A ponte era de pedra mole, e por isso rachou logo na primeira geada do inverno."),
    ],
)
def test_a_cause_and_its_effect_in_one_sentence_are_linked(language: str, sentence: str) -> None:
    assert any("linked" in f for f in cause_features(sentence, language))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "The old guild kept its books in perfect order for a century. "
            "Its members could therefore trust every figure they were shown.",
        ),
        (
            "de",
            "Die alte Zunft führte ihre Bücher ein Jahrhundert lang tadellos. "
            "Ihre Mitglieder vertrauten deshalb jeder Zahl, die man ihnen zeigte.",
        ),
        (
            "de",
            "Im Dorf trank niemand mehr aus dem alten Brunnen hinter der Kirche. "
            "Denn die Wäscherinnen sagten, sein Wasser schmecke nach Eisen.",
        ),
    ],
)
def test_a_connective_pointing_back_at_the_sentence_before_is_no_link(
    language: str, text: str
) -> None:
    features = cause_features(text, language)
    assert features
    assert not any("linked" in f for f in features)


def test_a_cause_question_is_asked_of_a_quote_holding_both_sides() -> None:
    for language in ("en", "de", "pt", "fr", "es", "it"):
        templates = templates_for(language)
        assert templates is not None
        linking = {t.id.split(".", 1)[1]: t for t in templates.templates if t.move == "cause"}
        for template_id in LINK_TEMPLATES:
            assert "linked" in linking[template_id].needs, (language, template_id)


def test_german_prompts_ask_no_link_of_a_back_pointing_therefore() -> None:
    text = (
        "Die alte Zunft führte ihre Bücher ein Jahrhundert lang tadellos und ohne jeden Fehler. "
        "Ihre Mitglieder vertrauten deshalb jeder Zahl, die man ihnen in der Halle zeigte. "
        "Ein Handwerk muss sich auf seine eigenen Rechnungen verlassen können."
    )
    prompts = generate_prompts(text, language="de", kind=TextKind.ARGUMENT)
    assert any("deshalb" in (prompt.quote or "") for prompt in prompts.prompts)
    for prompt in prompts.prompts:
        if "deshalb" in (prompt.quote or ""):
            assert prompt.template.split(".", 1)[1] not in LINK_TEMPLATES


# German key phrases


def test_a_german_key_phrase_ends_on_a_noun() -> None:
    text = "Die Fabel vom Gerechten ist alt. Sie erzählt von gerechten Richtern und der Fabel."
    assert ends_on_noun("Fabel", text)
    assert not ends_on_noun("Gerechten", text)  # an adjective made a noun: "gerechten Richtern"
    assert not ends_on_noun("gewiss", text)


def test_a_german_argument_returns_to_no_adjective_or_adverb() -> None:
    text = (
        "Gewiss ist die Fabel vom Gerechten älter als jedes Gericht. Gewiss haben gerechte "
        "Richter vom Gerechten erzählt, als wäre er ein Nachbar. Die Fabel aber wird oft "
        "erzählt, und gewiss wird die Fabel dabei kürzer. Wer vom Gerechten erzählt, lobt sich."
    )
    prompts = generate_prompts(text, language="de", kind=TextKind.ARGUMENT)
    phrases = [p.key_phrase for p in prompts.prompts if p.move == "keyphrase"]
    assert "gerechten" not in phrases
    assert "gewiss" not in phrases


# German quotes


def test_a_dash_inside_a_german_phrase_opens_no_quote() -> None:
    text = (
        "Als der Fährmann endlich am Ufer stand und einen ganz gewöhnlichen - Tee trinken "
        "wollte, kamen die Kinder den Hang herunter, und sie riefen laut nach ihm."
    )
    quote = german_quote(text)
    # From "Tee" to the sentence's end would be the best quote, if a dash opened a clause.
    assert quote is not None
    assert not quote.startswith("Tee"), quote


def test_a_dass_clause_whose_main_clause_follows_a_colon_is_no_quote() -> None:
    text = (
        "Etwa, dass der Hafen im Winter mehr Schiffe sehe als im Sommer: solche Geschichten "
        "erzählen die Lotsen gern, wenn sie abends in den Gasthäusern am Kai sitzen und "
        "keiner nachzählt."
    )
    quote = german_quote(text)
    assert quote is None or not quote.rstrip(":").endswith("im Sommer")


# Portuguese likenesses and the last resort


def test_an_idiom_with_como_se_is_no_likeness() -> None:
    lexicon = lexicon_for("pt")
    idiom = "Isto é um barqueiro como se quer, forte e paciente."
    likeness = "O rio corria como se tivesse pressa de chegar ao mar."
    assert lexicon.cues["image"].first_match(idiom) is None
    assert lexicon.cues["image"].first_match(likeness) is not None


@pytest.mark.parametrize("language", ["de", "pt"])
def test_the_last_resort_question_asks_for_a_response_not_what_strikes_you(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    (last,) = [t for t in templates.templates if t.id.endswith("central.evaluative.story.struck")]
    assert not any(word in last.text for word in ("berührt", "toca"))
    # German asks, as English does, what the passage leaves the reader with and which words
    # carry it: a view ("seht ihr das auch so?") cannot be taken of a thing told as done.
    assert "experiência" in last.text or ("Gefühl" in last.text and "Worte" in last.text)
    assert "auch so?" not in last.text


def test_thus_inside_a_clause_says_how_not_what_follows() -> None:
    how = "The gardeners hoped that the young roses might thus be kept from the frost."
    follows = "The gardeners covered the young roses at night, and thus the frost did no harm."
    assert not cause_features(how, "en")
    assert cause_features(follows, "en")


def test_a_subject_taken_up_again_after_a_dash_is_not_quoted_without_its_verb() -> None:
    text = (
        "Doch wir Kinder vom Hafen, die wir nie ein Boot besessen haben, wir Zuschauer auf der "
        "Mauer am Kai - wir kennen alle Schiffe, und wir rufen ihre Namen, wenn sie abends in "
        "den Hafen einlaufen!"
    )
    quote = german_quote(text)
    # Ending at the dash would score best: the verb after it makes the quote go on.
    assert quote is not None
    assert not quote.endswith("am Kai"), quote


def test_a_german_moment_is_not_asked_as_something_the_group_has_lived() -> None:
    templates = templates_for("de")
    assert templates is not None
    asked = {t.id.split(".", 1)[1]: t.text for t in templates.templates}
    # "Habt ihr so etwas schon einmal erlebt?" cannot be asked of waking up as an insect.
    assert "erlebt" not in asked["central.evaluative.story"]
    assert "vorgehabt" not in asked["central.evaluative.plan"]


@pytest.mark.parametrize(
    ("language", "template_id", "stilted"),
    [
        ("de", "central.interpretive.narrator", "erzählt uns der Erzähler"),
        ("pt", "question.interpretive.story", "revela de quem a faz"),
    ],
)
def test_story_questions_read_as_written_in_the_language(
    language: str, template_id: str, stilted: str
) -> None:
    templates = templates_for(language)
    assert templates is not None
    asked = {t.id.split(".", 1)[1]: t.text for t in templates.templates}
    assert stilted not in asked[template_id]
