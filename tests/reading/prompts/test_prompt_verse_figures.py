"""A verse quote that calls someone by a pronoun only ("Et la Brise qui le suit …") is asked
with the poem's figure named before it ("Sur le Passeur : « … »"), a figure being a
capitalised noun after a definite article. The quote stays as the poem has it."""

from __future__ import annotations

from bot.reading.prompts.engine import Balance, SectionChoice, language_for, section_words
from bot.reading.prompts.kinds import TextKind
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.model import Prompt, PromptKind
from bot.reading.prompts.sentences import parse_section
from bot.reading.prompts.subjects import figure_before, figures, names_its_figure

POEM_FR = (
    "Sur la rive déserte où pourrissent les barques,\n"
    "Le Passeur endormi laisse aller sa rame,\n"
    "Et voit glisser au loin sur l'eau lourde et sans flamme\n"
    "Les ombres des noyés qui n'ont laissé nulle marque.\n\n"
    "Il parle aux roseaux d'une voix basse et lente;\n"
    "Et la Brise qui le suit au long de son voyage\n"
    "Gémit de le trouver si las sous son bagage.\n\n"
    "Les pêcheurs qui le croisent détournent le visage,\n"
    "Et murmurent qu'il porte un malheur à son bord;\n"
    "Dans la soupe qu'on lui sert ils jettent du sel amer,\n"
    "Et raillent sa bonté comme on raille un mort.\n\n"
    "Le Soir descend enfin sur les quais de la ville,\n"
    "Le phare du rocher s'allume sur les eaux,\n"
    "Et la Marée, au-delà des môles et des bateaux,\n"
    "Monte d'un pas égal, patiente et tranquille.\n"
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
    line = "Pourtant, sous le regard d'une Étoile,\nL'Agneau dort, et le Berger\nEt la plaine"
    assert figures(line, lexicon) == ["l'Agneau", "le Berger"]
    assert figures("Then the Poet rose,\nAnd a Stranger spoke", lexicon_for("en")) == ["the Poet"]


def test_where_every_noun_has_a_capital_no_word_is_a_figure() -> None:
    assert figures("Der Dichter sieht den Himmel", lexicon_for("de")) == []


def test_an_object_pronoun_is_resolved_to_the_figure_of_the_stanza_before() -> None:
    assert _figure_for(POEM_FR, "Et la Brise qui le suit") == "le Passeur"


def test_a_figure_the_quote_names_before_its_possessive_is_whom_it_means() -> None:
    lexicon = lexicon_for("fr")
    assert names_its_figure("Le Passeur endormi laisse aller sa rame", lexicon)
    assert not names_its_figure("Et la Brise qui le suit au long de son voyage", lexicon)
    assert not names_its_figure("Elle-même allume au fond de la Caverne", lexicon)


def test_pronouns_that_run_on_from_further_back_are_not_given_a_figure() -> None:
    # "Les pêcheurs qui le croisent": "le" is the Ferryman two stanzas up, and the stanza just
    # before names the Breeze as well as him, so no one figure can be named.
    assert _figure_for(POEM_FR, "Dans la soupe qu'on lui sert") is None


def test_the_question_names_the_figure_and_keeps_the_quote_verbatim() -> None:
    quote = (
        "Et la Brise qui le suit au long de son voyage / Gémit de le trouver si las sous son bagage"
    )
    text = f"« {quote} » : comment comprenez-vous ces vers, et quel mot y pèse le plus ?"
    prompt = Prompt(
        PromptKind.INTERPRETIVE, text, quote, 2, None, "fr.central.interpretive.verse", "central"
    )
    lexicon = lexicon_for("fr")
    parsed = parse_section(POEM_FR, lexicon)
    sentence = next(s for s in parsed.sentences if "la Brise" in s.text)
    section = SectionChoice(
        parsed, language_for("fr"), section_words(lexicon, parsed, TextKind.VERSE), [], Balance()
    )
    led = section.with_figure(prompt, sentence)
    assert led.text == f"Sur le Passeur : {text}"
    assert led.quote == quote


def test_a_figure_the_quote_names_itself_is_not_named_again() -> None:
    lexicon = lexicon_for("fr")
    text = "Le Passeur dort.\n\nIl rêve, et l'on dit qu'il attend le Passeur d'en face."
    parsed = parse_section(text, lexicon)
    sentence = parsed.sentences[-1]
    quote = sentence.text
    assert figure_before(parsed, sentence, 0, quote, lexicon) is None
