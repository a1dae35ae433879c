"""A verse quote that opens on a turn against the lines before it ("Pourtant, quand vient le
soir …", "Still, …") leaves out what it turns against: its factual question asks
exactly that, by the turn's own word, and no question reads the lines as if they stood alone.
A poem's first words turn against nothing. Lines that name the poem's figures ("Le Veilleur
…") are not asked who is in them; lines whose subject is a pronoun for people they name
nowhere ("… de bois gris / Ils jettent …") are asked whom it means. Small poems written for
the rules."""

from __future__ import annotations

import pytest

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.engine import Candidate, language_for, prepare_section
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import FIGURED, TURNED, UNNAMED, opening_turn
from bot.reading.prompts.subjects import unnamed_subject

POEM_FR = (
    "Le Meunier fatigué compte ses sacs de grain,\n"
    "Sa fille à la fenêtre attend la diligence,\n"
    "Et la roue du moulin, qui tourne sans dessein,\n"
    "Répète au ruisseau froid sa lente remontrance.\n\n"
    "Pourtant, quand vient le soir sur la colline rousse,\n"
    "Le Meunier las s'assied au bord de son canal,\n"
    "Écoute l'eau qui court sur le gravier, la mousse,\n"
    "Et tire de sa poche un sifflet de métal.\n\n"
    "Les garçons du marché rient de sa redingote,\n"
    "Les commis de la ville ont oublié son nom,\n"
    "Et la roue, qui gémit quand le courant la frotte,\n"
    "Tourne encore pour lui seul au fond du vallon."
)
POEM_EN = (
    "The Miller counts his sacks of barley by the door,\n"
    "His daughter at the window listens for the coach,\n"
    "And the wheel, that turns as it has turned before,\n"
    "Tells the cold stream its slow and old reproach.\n\n"
    "Still, when the evening settles on the rusty hill,\n"
    "The Miller, stiff and weary, sits beside his race.\n"
    "He hears the water tumble on the stones below the sill\n"
    "And takes a tin whistle from its pocket place.\n\n"
    "The market boys make fun of his old-fashioned coat,\n"
    "The clerks up in the town have long forgotten him,\n"
    "And the wheel, that groans as the current rubs its throat,\n"
    "Still turns for him alone where the valley lights grow dim."
)
# The same poem, its turn now its first words: there is nothing before to turn against.
OPENING_FR = POEM_FR.split("\n\n", 1)[1]


def test_the_turn_is_taken_as_the_text_writes_it() -> None:
    french = lexicon_for("fr").opening_turns
    assert opening_turn("Pourtant, quand vient le soir", french) == "Pourtant"
    assert opening_turn("Quand vient le soir", french) is None
    spanish = lexicon_for("es").opening_turns
    assert opening_turn("Sin embargo, bajo la luna", spanish) == "Sin embargo"


def test_a_stanza_opening_on_a_turn_is_asked_what_it_turns_against() -> None:
    prompts = generate_prompts(POEM_FR, language="fr", kind=TextKind.VERSE).prompts
    turned = [p for p in prompts if p.quote and p.quote.startswith("Pourtant")]
    assert len(turned) == 1, [p.text for p in prompts]
    assert turned[0].kind == "factual"
    assert turned[0].text.endswith("à quoi s’oppose ce « Pourtant » ?"), turned[0].text
    assert turned[0].quote is not None
    assert turned[0].quote in POEM_FR


def test_english_verse_asks_the_same_by_its_own_word() -> None:
    prompts = generate_prompts(POEM_EN, language="en", kind=TextKind.VERSE).prompts
    turned = [p for p in prompts if p.quote and p.quote.startswith("Still")]
    assert [p.text.split("”. ")[-1] for p in turned] == [
        "What in the lines before does this “Still” turn against?"
    ], [p.text for p in prompts]


def test_a_poem_opening_on_a_turn_is_not_asked_what_it_turns_against() -> None:
    prompts = generate_prompts(OPENING_FR, language="fr", kind=TextKind.VERSE).prompts
    assert prompts
    assert not any("s’oppose" in p.text for p in prompts), [p.text for p in prompts]


FIGURED_FR = (
    "Le Veilleur solitaire allume sa lanterne au bord du fleuve noir,\n"
    "Et regarde passer les voiles de la nuit sur les flots gris.\n\n"
    "Au bord du fleuve noir où dorment les bateaux,\n"
    "Les feuilles de l'automne tombent sans un bruit.\n\n"
    "Une cloche lointaine appelle les fidèles,\n"
    "Et le vent du matin chasse les hirondelles."
)


def _candidates(text: str, language: str) -> dict[str, Candidate]:
    """Each central candidate, by its sentence's first three words."""
    drafted = prepare_section(text, language_for(language), None, TextKind.VERSE)
    return {
        " ".join(c.sentence.text.split()[:3]): c
        for c in drafted.candidates
        if c.sentence is not None and c.move == "central"
    }


def _features(text: str, language: str) -> dict[str, frozenset[str]]:
    return {opening: c.features for opening, c in _candidates(text, language).items()}


def test_lines_naming_a_figure_are_marked_and_others_not() -> None:
    features = _features(FIGURED_FR, "fr")
    assert FIGURED in features["Le Veilleur solitaire"]
    assert FIGURED not in features["Au bord du"]
    assert TURNED not in features["Au bord du"]


@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "it", "pt"])
def test_who_is_in_the_lines_is_not_asked_of_lines_naming_their_figure(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    slots = {"quote": "q", "turn": "Yet"}

    def factual(features: set[str]) -> set[str]:
        return {
            t.id.split(".", 1)[1]
            for t in templates.templates
            if t.move == "central" and t.kind == "factual" and t.fits(frozenset(features), slots)
        }

    assert "central.factual.verse" in factual({"verse"})
    assert "central.factual.verse" not in factual({"verse", FIGURED})
    # A turned quote is asked what it turns against, and only that.
    assert factual({"verse", TURNED, "followed"}) == {"central.factual.verse.turn"}


UNNAMED_FR = (
    "Le Veilleur solitaire allume sa lanterne,\n"
    "Et regarde passer les voiles de la nuit.\n\n"
    "Les gens du quai voisin se moquent de sa lampe,\n"
    "Et ferment leurs volets quand il passe sans bruit.\n\n"
    "Sur le pont de bois gris que la marée inonde\n"
    "Ils jettent en riant des cailloux et du sable;\n"
    "Puis ils rentrent chez eux pour boire à la ronde,\n"
    "Et chantent jusqu'au jour en frappant sur la table."
)


def test_a_subject_pronoun_opening_a_line_is_found_as_written() -> None:
    french = lexicon_for("fr")
    assert unnamed_subject("Sur le pont de bois gris\nIls jettent du sable", french) == "Ils"
    assert unnamed_subject("They came at night,\nAnd left", lexicon_for("en")) == "They"


def test_no_pronoun_is_unnamed_after_a_name_or_in_mid_line_or_impersonal() -> None:
    french = lexicon_for("fr")
    assert unnamed_subject("Le Veilleur s'endort,\nIl rêve de la mer", french) is None
    assert unnamed_subject("Quand vint Jean le soir,\nIl chantait", french) is None
    assert unnamed_subject("Or il n'est rien de plus froid", french) is None
    assert unnamed_subject("Sur la ville endormie,\nIl faut partir", french) is None


def test_lines_speaking_of_unnamed_people_are_asked_whom_they_mean() -> None:
    candidates = _candidates(UNNAMED_FR, "fr")
    asked = candidates["Sur le pont"]
    assert UNNAMED in asked.features
    assert asked.slots["pronoun"] == "Ils"
    assert UNNAMED not in candidates["Le Veilleur solitaire"].features
    templates = templates_for("fr")
    assert templates is not None
    fitting = [
        t.render({"quote": "q", "pronoun": "Ils"})
        for t in templates.templates
        if t.move == "central"
        and t.kind == "interpretive"
        and t.fits(asked.features, asked.slots | {"quote": ""})
    ]
    assert fitting == ["« q » : à qui renvoie ce « Ils », et comment comprenez-vous ces vers ?"]
