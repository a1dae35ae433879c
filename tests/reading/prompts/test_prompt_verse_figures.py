"""A verse quote that calls someone by a pronoun only ("Et la Lune qui le suit …") is asked
with the poem's figure named before it ("Sur le Veilleur : « … »"), a figure being a
capitalised noun after a definite article. The quote stays as the poem has it."""

from __future__ import annotations

from bot.reading.prompts.engine import _Balance, _language, _Section, _words
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.model import Prompt
from bot.reading.prompts.sentences import parse_section
from bot.reading.prompts.subjects import figure_before, figures, names_its_figure

POEM_FR = (
    "Au bord du fleuve noir où dorment les bateaux,\n"
    "Le Veilleur solitaire allume sa lanterne,\n"
    "Et regarde passer sur les flots gris et ternes\n"
    "Les voiles de la nuit qui pendent en lambeaux.\n\n"
    "Il chante pour lui seul une ancienne romance;\n"
    "Et la Lune qui le suit dans son errance\n"
    "Pleure de le voir seul au milieu de sa danse.\n\n"
    "Tous ceux qui le connaissent ont peur de son silence,\n"
    "Et disent qu'il attend quelque obscure vengeance;\n"
    "Dans le pain qu'on lui donne ils versent de l'absinthe,\n"
    "Et rient de sa douceur comme on rit d'une plainte.\n\n"
    "Le Matin vient enfin sur les toits de la ville,\n"
    "La cloche de l'église éveille les faubourgs,\n"
    "Et la Mer, au-delà des digues et des tours,\n"
    "Roule sa vague lente, immense et immobile.\n"
)


def _figure_for(text: str, quote_opening: str) -> str | None:
    lexicon = lexicon_for("fr")
    parsed = parse_section(text, lexicon)
    sentence = next(s for s in parsed.sentences if quote_opening in s.text)
    start = sentence.text.index(quote_opening)
    end = sentence.text.find(".", start)
    quote = sentence.text[start : end if end > 0 else None]
    return figure_before(parsed, sentence, start, quote, lexicon)


def test_a_figure_is_a_capitalised_noun_after_a_definite_article() -> None:
    lexicon = lexicon_for("fr")
    line = "Pourtant, sous la garde d'un Ange,\nL'Enfant rit, et le Poète\nEt la mer"
    assert figures(line, lexicon) == ["l'Enfant", "le Poète"]
    assert figures("Then the Poet rose,\nAnd a Stranger spoke", lexicon_for("en")) == ["the Poet"]


def test_where_every_noun_has_a_capital_no_word_is_a_figure() -> None:
    assert figures("Der Dichter sieht den Himmel", lexicon_for("de")) == []


def test_an_object_pronoun_is_resolved_to_the_figure_of_the_stanza_before() -> None:
    assert _figure_for(POEM_FR, "Et la Lune qui le suit") == "le Veilleur"


def test_a_figure_the_quote_names_before_its_possessive_is_whom_it_means() -> None:
    lexicon = lexicon_for("fr")
    assert names_its_figure("Le Veilleur solitaire allume sa lanterne", lexicon)
    assert not names_its_figure("Et la Lune qui le suit dans son errance", lexicon)
    assert not names_its_figure("Elle-même prépare au fond de la Géhenne", lexicon)


def test_pronouns_that_run_on_from_further_back_are_not_given_a_figure() -> None:
    # "Tous ceux qui le connaissent": "le" is the Watcher two stanzas up, and the stanza just
    # before names the Moon as well as him, so no one figure can be named.
    assert _figure_for(POEM_FR, "Dans le pain qu'on lui donne") is None


def test_the_question_names_the_figure_and_keeps_the_quote_verbatim() -> None:
    quote = "Et la Lune qui le suit dans son errance / Pleure de le voir seul au milieu de sa danse"
    text = f"« {quote} » : comment comprenez-vous ces vers, et quel mot y pèse le plus ?"
    prompt = Prompt(
        "interpretive", text, quote, 2, None, "fr.central.interpretive.verse", "central"
    )
    lexicon = lexicon_for("fr")
    parsed = parse_section(POEM_FR, lexicon)
    sentence = next(s for s in parsed.sentences if "la Lune" in s.text)
    section = _Section(parsed, _language("fr"), _words(lexicon, parsed, "verse"), [], _Balance())
    led = section._with_figure(prompt, sentence)
    assert led.text == f"Sur le Veilleur : {text}"
    assert led.quote == quote


def test_a_figure_the_quote_names_itself_is_not_named_again() -> None:
    lexicon = lexicon_for("fr")
    text = "Le Veilleur dort.\n\nIl rêve, et l'on dit qu'il attend le Veilleur d'en face."
    parsed = parse_section(text, lexicon)
    sentence = parsed.sentences[-1]
    quote = sentence.text
    assert figure_before(parsed, sentence, 0, quote, lexicon) is None
