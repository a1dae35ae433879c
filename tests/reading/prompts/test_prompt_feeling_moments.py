"""A story's moment showing what someone feels in what they do ("Tom read the letter twice,
laughed with sheer joy and danced a jig") comes of what has just happened and causes nothing
itself: its factual question asks what brought the feeling on, not what follows from it. Only
when the feeling is that of the one the quote names as its subject, neither denied nor
explained in the quote itself."""

from __future__ import annotations

import pytest

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.question_templates import Template, templates_for
from bot.reading.prompts.sentence_kinds import FEELING, FELT
from tests.reading.prompts.story_candidates import candidates_on

FEELING_QUESTION = "central.factual.story.feeling"

FERRY = (
    "Old Tom the ferryman had waited at the jetty since dawn for news of his daughter.\n\n"
    "All morning Tom watched the bend of the river and mended a net to pass the time.\n\n"
    "At noon the post boat came round the point, and the postman threw him a letter from the "
    "city.\n\n"
    "Tom read the letter twice, laughed with sheer joy and danced a jig on the wet planks.\n\n"
    "Then he rowed the first passengers of the day across the grey river to the market."
)

# Mr. Bright is met in the sentence that shows his joy: the section has told nothing of him
# that could have brought it on.
COACH = (
    "The rain had fallen on the village all week, and the river ran high under the bridge.\n\n"
    "Mr. Bright stepped off the coach in a green coat and laughed with sheer joy at the "
    "sight of the hills.\n\n"
    "The innkeeper carried his bags up the stairs to the room over the yard."
)

# Joy with no one named to feel it.
FAIR = (
    "The fair came to the village on the first day of May, with its wagons and its music.\n\n"
    "All the children ran to the green and shouted with sheer joy at the painted horses.\n\n"
    "By night the lanterns were lit along the road to the church."
)


def _question(language: str) -> Template:
    templates = templates_for(language)
    assert templates is not None
    return next(t for t in templates.templates if t.id == f"{language}.{FEELING_QUESTION}")


def _fits(text: str, opening: str, language: str = "en") -> list[bool]:
    found, _ = candidates_on(text, opening, language)
    question = _question(language)
    return [question.fits(frozenset(c.features), c.slots | {"quote": ""}) for c in found]


def test_a_feeling_shown_in_what_someone_does_is_asked_what_brought_it_on() -> None:
    prompts = generate_prompts(FERRY, language="en", kind=TextKind.STORY).prompts
    factual = [p for p in prompts if p.kind == "factual"]
    assert [p.template for p in factual] == [f"en.{FEELING_QUESTION}"]
    assert factual[0].quote is not None
    assert factual[0].quote.startswith("Tom read the letter")
    assert factual[0].text.endswith("what has just happened to make Tom feel this way?")


def test_someone_met_in_the_very_sentence_is_not_asked_what_brought_it_on() -> None:
    found, _ = candidates_on(COACH, "Mr. Bright", "en")
    assert any(FEELING in c.features and c.slots.get("person") == "Mr. Bright" for c in found)
    assert not any(_fits(COACH, "Mr. Bright"))


def test_a_feeling_no_one_named_has_is_not_asked_whose_it_is() -> None:
    found, _ = candidates_on(FAIR, "All the children", "en")
    assert any(FEELING in c.features for c in found)
    assert not any(_fits(FAIR, "All the children"))


def _ferry_with(moment: str) -> str:
    """FERRY with its moment told another way."""
    return FERRY.replace(
        "Tom read the letter twice, laughed with sheer joy and danced a jig on the wet planks.",
        moment,
    )


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        # Denied: no feeling to account for.
        ("Tom did not laugh or dance with joy, but sat down heavily on the wet planks.", "Tom"),
        ("Tom didn't laugh with joy at all, and sat down heavily on the wet planks.", "Tom"),
        ("Tom felt no joy at all, and sat down heavily on the wet planks.", "Tom"),
        ("Tom feared nothing on the river and rowed out into the rain at once.", "Tom"),
        # Someone else's: the one named is not the one who feels.
        ("When Tom read the letter aloud, his wife wept with joy by the stove.", "When Tom"),
        ("The postman handed Tom the letter and laughed with sheer joy.", "The postman"),
        # Explained in the quote itself: what brought it on is already said.
        ("Tom laughed with sheer joy when he read that his daughter was coming home.", "Tom"),
        ("Tom laughed with sheer joy because his daughter was coming home.", "Tom"),
    ],
)
def test_a_feeling_denied_someone_else_s_or_explained_is_not_asked_what_brought_it_on(
    moment: str, opening: str
) -> None:
    text = _ferry_with(moment)
    found, _ = candidates_on(text, opening, "en")
    assert not any(FELT in c.features for c in found)
    assert not any(_fits(text, opening))


# The same moment in four more languages: Tom named in the first two paragraphs, his joy in
# the fourth. German names are not told from nouns, so no one is named to ask about there.
MOMENTS = {
    "es": (
        "El viejo Tomás esperaba en el muelle desde el alba noticias de su hija.\n\n"
        "Toda la mañana Tomás miró la curva del río y remendó una red.\n\n"
        "A mediodía llegó el barco del correo y el cartero le dio una carta de la ciudad.\n\n"
        "Tomás leyó la carta dos veces, rió de alegría y bailó sobre las tablas mojadas.\n\n"
        "Luego cruzó el río gris con los primeros viajeros del día.",
        "Tomás leyó",
        "Tomás no rió de alegría, y se sentó despacio sobre las tablas mojadas.",
    ),
    "fr": (
        "Le vieux Thomas attendait au quai depuis l'aube des nouvelles de sa fille.\n\n"
        "Toute la matinée Thomas regarda le coude du fleuve et raccommoda un filet.\n\n"
        "À midi le bateau de la poste arriva et le facteur lui donna une lettre de la ville.\n\n"
        "Thomas ouvrit la lettre, cria de joie et sauta sur les planches mouillées.\n\n"
        "Puis il fit traverser le fleuve gris aux premiers voyageurs du jour.",
        "Thomas ouvrit",
        "Thomas ne cria pas de joie, et s'assit lourdement sur les planches mouillées.",
    ),
    "it": (
        "Il vecchio Tommaso aspettava al molo dall'alba notizie della figlia.\n\n"
        "Tutta la mattina Tommaso guardò la curva del fiume e rammendò una rete.\n\n"
        "A mezzogiorno arrivò la barca della posta e il postino gli diede una lettera.\n\n"
        "Tommaso lesse la lettera due volte, rise di gioia e ballò sulle assi bagnate.\n\n"
        "Poi traghettò i primi viaggiatori del giorno sul fiume grigio.",
        "Tommaso lesse",
        "Tommaso non rise di gioia, e sedette pesantemente sulle assi bagnate.",
    ),
    "pt": (
        "O velho Tomás esperava no cais desde a madrugada notícias da filha.\n\n"
        "Toda a manhã Tomás olhou a curva do rio e remendou uma rede.\n\n"
        "Ao meio-dia chegou o barco do correio e o carteiro deu-lhe uma carta da cidade.\n\n"
        "Tomás abriu a carta, gritou de alegria e correu pelas tábuas molhadas.\n\n"
        "Depois levou os primeiros viajantes do dia pelo rio cinzento.",
        "Tomás abriu",
        "Tomás não gritou de alegria, e sentou-se devagar nas tábuas molhadas.",
    ),
}


@pytest.mark.parametrize("language", sorted(MOMENTS))
def test_a_feeling_shown_in_what_someone_does_is_asked_what_brought_it_on_in_any_language(
    language: str,
) -> None:
    text, opening, _ = MOMENTS[language]
    assert any(_fits(text, opening, language))


@pytest.mark.parametrize("language", sorted(MOMENTS))
def test_a_feeling_denied_is_not_asked_what_brought_it_on_in_any_language(
    language: str,
) -> None:
    text, opening, denied = MOMENTS[language]
    moment = next(p for p in text.split("\n\n") if p.startswith(opening))
    denied_text = text.replace(moment, denied)
    assert not any(_fits(denied_text, denied.split()[0], language))


@pytest.mark.parametrize("language", ["fr", "it", "pt"])
def test_the_feeling_question_names_the_one_who_feels_as_its_subject(language: str) -> None:
    text, opening, _ = MOMENTS[language]
    person = opening.split()[0]
    prompts = generate_prompts(text, language=language, kind=TextKind.STORY).prompts
    asked = [p for p in prompts if p.template == f"{language}.{FEELING_QUESTION}"]
    assert len(asked) == 1
    # "… pour que Thomas ressente cela ?": the person stands as a subject, with no article or
    # preposition before the name to agree with it ("em o Carlos", "in il").
    said_of = {"fr": "pour que {} ressente", "it": "perché {} si senta", "pt": "para que {} se"}
    assert said_of[language].format(person) in asked[0].text


@pytest.mark.parametrize(
    ("language", "person", "wording"),
    [
        ("de", "Anna", "was ist eben geschehen, dass Anna so empfindet?"),
        ("es", "Ana", "¿qué acaba de pasar para que Ana se sienta así?"),
    ],
)
def test_the_feeling_question_asks_what_happened_not_what_for(
    language: str, person: str, wording: str
) -> None:
    assert _question(language).render({"quote": "…", "person": person}).endswith(wording)
