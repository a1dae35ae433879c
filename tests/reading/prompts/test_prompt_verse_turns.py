"""A verse quote that opens on a turn against the lines before it ("Pourtant, sous le regard
d'une Étoile, …", "Still, …") leaves out what it turns against: its factual question asks
exactly that, by the turn's own word, and no question reads the lines as if they stood alone.
A poem's first words turn against nothing. Lines that name the poem's figures ("Le Veilleur
…") are not asked who is in them; lines whose subject is a pronoun for people they name
nowhere ("… sur sa table / Ils versent …") are asked whom it means. Small poems written for
the rules."""

from __future__ import annotations

import pytest

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.engine import _Candidate, _language, _prepare
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import FIGURED, TURNED, UNNAMED, opening_turn
from bot.reading.prompts.subjects import unnamed_subject

POEM_FR = (
    "Le Marin vieilli dort au fond de sa cabane,\n"
    "Sa femme au coin du feu maudit la mer amère,\n"
    "Et le vent de l'hiver qui secoue la lucarne\n"
    "Emporte sa prière et sa plainte en colère.\n\n"
    "Pourtant, sous le regard lointain d'une Étoile,\n"
    "Le Marin oublié rêve de ses voyages,\n"
    "Et dans tout ce qu'il voit et dans tout ce qu'il touche\n"
    "Retrouve la douceur des anciens rivages.\n\n"
    "Les enfants du village ont peur de son silence,\n"
    "Les pêcheurs sur le port se moquent de ses rides,\n"
    "Et la mer qui l'attend garde dans sa démence\n"
    "Le souvenir des nuits et des barques rapides."
)
POEM_EN = (
    "The Sailor sleeps at last beside the dying fire,\n"
    "His wife sits by the hearth and curses the grey sea,\n"
    "And the winter wind that rattles at the wire\n"
    "Carries away her prayer and all her misery.\n\n"
    "Still, under the far gaze of a single Star,\n"
    "The Sailor, half forgotten, dreams of distant bays.\n"
    "In all that he sees and all he touches far\n"
    "He finds once more the sweetness of the harbour ways.\n\n"
    "The children of the village fear his heavy silence,\n"
    "The fishermen along the quay make fun of his grey hair,\n"
    "And the sea that waits for him keeps in its old violence\n"
    "The memory of nights and boats that once were there."
)
# The same poem, its turn now its first words: there is nothing before to turn against.
OPENING_FR = POEM_FR.split("\n\n", 1)[1]


def test_the_turn_is_taken_as_the_text_writes_it() -> None:
    french = lexicon_for("fr").opening_turns
    assert opening_turn("Pourtant, sous le regard", french) == "Pourtant"
    assert opening_turn("Sous le regard lointain", french) is None
    spanish = lexicon_for("es").opening_turns
    assert opening_turn("Sin embargo, bajo la luna", spanish) == "Sin embargo"


def test_a_stanza_opening_on_a_turn_is_asked_what_it_turns_against() -> None:
    prompts = generate_prompts(POEM_FR, language="fr", kind="verse").prompts
    turned = [p for p in prompts if p.quote and p.quote.startswith("Pourtant")]
    assert len(turned) == 1, [p.text for p in prompts]
    assert turned[0].kind == "factual"
    assert turned[0].text.endswith("à quoi s’oppose ce « Pourtant » ?"), turned[0].text
    assert turned[0].quote in POEM_FR


def test_english_verse_asks_the_same_by_its_own_word() -> None:
    prompts = generate_prompts(POEM_EN, language="en", kind="verse").prompts
    turned = [p for p in prompts if p.quote and p.quote.startswith("Still")]
    assert [p.text.split("”. ")[-1] for p in turned] == [
        "What in the lines before does this “Still” turn against?"
    ], [p.text for p in prompts]


def test_a_poem_opening_on_a_turn_is_not_asked_what_it_turns_against() -> None:
    prompts = generate_prompts(OPENING_FR, language="fr", kind="verse").prompts
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


def _candidates(text: str, language: str) -> dict[str, _Candidate]:
    """Each central candidate, by its sentence's first three words."""
    drafted = _prepare(text, _language(language), None, "verse")
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
        chosen = templates.for_move("central", "factual")
        return {t.id.split(".", 1)[1] for t in chosen if t.fits(frozenset(features), slots)}

    assert "central.factual.verse" in factual({"verse"})
    assert "central.factual.verse" not in factual({"verse", FIGURED})
    # A turned quote is asked what it turns against, and only that.
    assert factual({"verse", TURNED, "followed"}) == {"central.factual.verse.turn"}


UNNAMED_FR = (
    "Le Veilleur solitaire allume sa lanterne,\n"
    "Et regarde passer les voiles de la nuit.\n\n"
    "Tous ceux qu'il veut aimer le regardent avec crainte,\n"
    "Ou rient de sa douceur comme on rit d'une plainte.\n\n"
    "Dans le pain et le vin qu'on pose sur sa table\n"
    "Ils versent en riant le sel et l'absinthe amère;\n"
    "Avec hypocrisie ils brisent ce qu'il touche,\n"
    "Et se lavent les mains de leur oeuvre misérable."
)


def test_a_subject_pronoun_opening_a_line_is_found_as_written() -> None:
    french = lexicon_for("fr")
    assert unnamed_subject("Dans le pain posé sur sa table\nIls versent l'absinthe", french) == (
        "Ils"
    )
    assert unnamed_subject("They came at night,\nAnd left", lexicon_for("en")) == "They"


def test_no_pronoun_is_unnamed_after_a_name_or_in_mid_line_or_impersonal() -> None:
    french = lexicon_for("fr")
    assert unnamed_subject("Le Veilleur s'endort,\nIl rêve de la mer", french) is None
    assert unnamed_subject("Quand vint Jean le soir,\nIl chantait", french) is None
    assert unnamed_subject("Or il n'est rien de plus froid", french) is None
    assert unnamed_subject("Sur la ville endormie,\nIl faut partir", french) is None


def test_lines_speaking_of_unnamed_people_are_asked_whom_they_mean() -> None:
    candidates = _candidates(UNNAMED_FR, "fr")
    asked = candidates["Dans le pain"]
    assert UNNAMED in asked.features
    assert asked.slots["pronoun"] == "Ils"
    assert UNNAMED not in candidates["Le Veilleur solitaire"].features
    templates = templates_for("fr")
    assert templates is not None
    fitting = [
        t.render({"quote": "q", "pronoun": "Ils"})
        for t in templates.for_move("central", "interpretive")
        if t.fits(asked.features, asked.slots | {"quote": ""})
    ]
    assert fitting == ["« q » : à qui renvoie ce « Ils », et comment comprenez-vous ces vers ?"]
