"""A narrator's word to the reader asked about as such, a long sentence not quoted without the
clause its point is in, and the Portuguese questions that put the reader somewhere: as a
Portuguese travel narrative showed them."""

from __future__ import annotations

import pytest

from bot.reading.prompts import TextKind, engine, generate_prompts
from bot.reading.prompts.engine import (
    Candidate,
    SectionWords,
    is_cut_short,
    section_candidates,
    section_words,
)
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.model import MoveKind
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentences import parse_section

LANGUAGES = ("en", "de", "es", "fr", "it", "pt")
ASIDE_TEMPLATES = {
    "central.factual.aside",
    "central.interpretive.aside",
    "central.evaluative.aside",
}

PT_ASIDE = (
    "Saímos de casa antes do sol, com a serra ainda escura e os galos a responder uns aos "
    "outros.\n\n"
    "A carroça era pesada e rangia, e o almocreve troçava dos viajantes que tinham pressa.\n\n"
    "Neste trajeto vai pintado o passo lento das nossas reformas: espero que o leitor me "
    "perdoe.\n\n"
    "Entrámos na feira ao meio-dia, cobertos de pó, e a dona da tasca deu-nos de beber á sombra."
)
FR_ASIDE = (
    "Nous partîmes avant le soleil, la montagne encore sombre et les coqs se répondant.\n\n"
    "La charrette était lourde et grinçait, et le muletier se moquait des voyageurs pressés.\n\n"
    "Dans ce trajet est peint le pas lent de nos réformes : j'espère que le lecteur me "
    "pardonne.\n\n"
    "Nous entrâmes dans la foire à midi, couverts de poussière, et l'aubergiste nous servit."
)


def _short(template_id: str) -> str:
    return template_id.split(".", 1)[1]


@pytest.mark.parametrize(("language", "text"), [("pt", PT_ASIDE), ("fr", FR_ASIDE)])
def test_a_word_to_the_reader_is_asked_about_as_a_word_to_the_reader(
    language: str, text: str
) -> None:
    prompts = generate_prompts(text, language=language, kind=TextKind.STORY).prompts
    to_reader = [p for p in prompts if p.quote and ("leitor" in p.quote or "lecteur" in p.quote)]
    assert to_reader
    assert all(_short(p.template) in ASIDE_TEMPLATES for p in to_reader), to_reader


def test_a_character_naming_the_reader_gets_no_aside_question() -> None:
    text = (
        "O almocreve olhou para a serra e disse que a neve vinha cedo naquele ano.\n\n"
        "«O leitor de almanaques sabe tudo, mas nunca subiu a serra a pé», disse o almocreve.\n\n"
        "Entrámos na feira ao meio-dia, cobertos de pó, e a dona da tasca deu-nos de beber."
    )
    for prompt in generate_prompts(text, language="pt", kind=TextKind.STORY).prompts:
        assert _short(prompt.template) not in ASIDE_TEMPLATES, prompt.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_asks_a_word_to_the_reader_of_each_kind(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    asides = {_short(t.id): t for t in templates.templates if "aside" in t.needs}
    assert set(asides) == ASIDE_TEMPLATES
    assert all("spoken" in t.excludes and t.texts == {"story"} for t in asides.values())


def _central(text: str, opening: str) -> tuple[Candidate, SectionWords]:
    """The central candidate on the sentence opening with `opening`, and its word lists."""
    lexicon = lexicon_for("pt")
    parsed = parse_section(text, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    candidates = section_candidates(parsed, lexicon, words, None, TextKind.STORY)
    (found,) = [
        c
        for c in candidates
        if c.move == "central" and c.sentence and c.sentence.text.startswith(opening)
    ]
    return found, words


OTHERS = (
    "A carroça subia devagar, e os feirantes do banco de trás dormiam calados ao sol.\n\n"
    "Os vizinhos ficaram cabisbaixos, e a feira inteira aplaudiu o almocreve de Borba."
)


@pytest.mark.parametrize(
    "tail",
    [
        # A clause that qualifies the words quoted, where the joke is.
        ", quando o tal conde morreu, como a todos os condes sempre acontece e há de "
        "acontecer, em dívidas tais que nem uma pobre capela lhe quis o nome.",
        # A pause before the sentence's last words.
        ", e de feitio moderno, que se usa agora em toda a parte e com que se enfeita tudo e "
        "mais alguma coisa... quanto não tem enfeite possível.",
    ],
)
def test_a_long_sentence_quoted_without_the_clause_its_point_is_in_ranks_lower(
    tail: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = "Já deixámos Vale Seco, a aldeia dos oleiros; Torre Velha, a que foi do Conde"
    text = f"{head}{tail}\n\n{OTHERS}"
    cut, words = _central(text, "Já deixámos")
    assert is_cut_short(cut, words)
    monkeypatch.setattr(engine, "CUT_SHORT_PENALTY", 0.0)
    undocked, _ = _central(text, "Já deixámos")
    assert cut.strength < undocked.strength
    whole, words = _central(f"{head}.\n\n{OTHERS}", "Já deixámos")
    assert not is_cut_short(whole, words)


def test_a_clause_that_holds_most_of_its_sentence_is_not_cut_short() -> None:
    # Fewer words are left out than are quoted: little of the point is lost.
    sentence = (
        "O almocreve de Borba contou aos feirantes do banco, devagar e sem pressa nenhuma, a "
        "longa história do último nevão na serra alta, quando a carroça quase se perdeu no "
        "barranco de Marvão com toda a gente."
    )
    candidate, words = _central(f"{sentence}\n\n{OTHERS}", "O almocreve de Borba contou")
    assert not is_cut_short(candidate, words)


def test_the_portuguese_scene_question_puts_the_reader_there() -> None:
    templates = templates_for("pt")
    assert templates is not None
    (scene,) = [t for t in templates.templates if t.id == "pt.central.evaluative.story"]
    assert "se lá estivessem" in scene.text
    assert "situação parecida" not in scene.text  # which side of it? the reader cannot tell


def _leans(sentence: str) -> bool:
    lexicon = lexicon_for("pt")
    parsed = parse_section(sentence, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    (first,) = parsed.sentences
    candidate = Candidate(MoveKind.CENTRAL, 0.5, frozenset(), {}, first, (0, len(first.text)))
    return candidate.dangles(words)


@pytest.mark.parametrize(
    "sentence",
    [
        "Preciso de o contar aos vizinhos, para que estejam prevenidos desde já.",
        "Tive pena de a deixar na estalagem, sozinha e sem dinheiro nenhum.",
    ],
)
def test_a_portuguese_object_pronoun_before_an_infinitive_points_back(sentence: str) -> None:
    assert _leans(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Voltámos de manhã para o mar, e os barqueiros cantavam ao remo.",
        "Preciso de dizer ao leitor que esta carroça é um retrato das nossas reformas.",
    ],
)
def test_an_article_or_a_bare_infinitive_does_not_point_back(sentence: str) -> None:
    assert not _leans(sentence)
