"""A narrator's word to the reader asked about as such, a long sentence not quoted without the
clause its point is in, and the Portuguese questions that put the reader somewhere: as a
Portuguese travel narrative showed them."""

from __future__ import annotations

import pytest

from bot.reading.prompts import engine, generate_prompts
from bot.reading.prompts.engine import _Candidate, _candidates, _cut_short, _Words, _words
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentences import parse_section

LANGUAGES = ("en", "de", "es", "fr", "it", "pt")
ASIDE_TEMPLATES = {
    "central.factual.aside",
    "central.interpretive.aside",
    "central.evaluative.aside",
}

PT_ASIDE = (
    "Partimos de manhã cedo, com o rio ainda coberto de névoa e os barqueiros a cantar.\n\n"
    "O barco era velho e lento, e o mestre ria-se de quem tinha pressa de chegar.\n\n"
    "Nesta viagem está symbolizada a marcha do nosso progresso: espero que o leitor intenda "
    "agora.\n\n"
    "Chegámos á vila ao cair da tarde, cansados, e o estalajadeiro recebeu-nos á porta."
)
FR_ASIDE = (
    "Nous partîmes au petit jour, le fleuve encore couvert de brume et les bateliers chantant.\n\n"
    "Le bateau était vieux et lent, et le patron riait de ceux qui avaient hâte d'arriver.\n\n"
    "Dans ce voyage est figurée la marche de notre progrès : j'espère que le lecteur le "
    "comprend maintenant.\n\n"
    "Nous arrivâmes au bourg à la tombée du jour, fatigués, et l'aubergiste nous reçut."
)


def _short(template_id: str) -> str:
    return template_id.split(".", 1)[1]


@pytest.mark.parametrize(("language", "text"), [("pt", PT_ASIDE), ("fr", FR_ASIDE)])
def test_a_word_to_the_reader_is_asked_about_as_a_word_to_the_reader(
    language: str, text: str
) -> None:
    prompts = generate_prompts(text, language=language, kind="story").prompts
    to_reader = [p for p in prompts if p.quote and ("leitor" in p.quote or "lecteur" in p.quote)]
    assert to_reader
    assert all(_short(p.template) in ASIDE_TEMPLATES for p in to_reader), to_reader


def test_a_character_naming_the_reader_gets_no_aside_question() -> None:
    text = (
        "O barqueiro olhou para o rio e disse que a água estava baixa naquele ano.\n\n"
        "«O leitor de jornais sabe tudo, mas nunca remou contra a maré», disse o barqueiro.\n\n"
        "Chegámos á vila ao cair da tarde, cansados, e o estalajadeiro recebeu-nos á porta."
    )
    for prompt in generate_prompts(text, language="pt", kind="story").prompts:
        assert _short(prompt.template) not in ASIDE_TEMPLATES, prompt.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_asks_a_word_to_the_reader_of_each_kind(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    asides = {_short(t.id): t for t in templates.templates if "aside" in t.needs}
    assert set(asides) == ASIDE_TEMPLATES
    assert all("spoken" in t.excludes and t.texts == {"story"} for t in asides.values())


def _central(text: str, opening: str) -> tuple[_Candidate, _Words]:
    """The central candidate on the sentence opening with `opening`, and its word lists."""
    lexicon = lexicon_for("pt")
    parsed = parse_section(text, lexicon)
    words = _words(lexicon, parsed, "story")
    candidates = _candidates(parsed, lexicon, words, None, "story")
    (found,) = [
        c
        for c in candidates
        if c.move == "central" and c.sentence and c.sentence.text.startswith(opening)
    ]
    return found, words


OTHERS = (
    "O barco seguia devagar, e os passageiros da proa fumavam calados ao sol.\n\n"
    "Os campinos ficaram cabisbaixos, e o público aplaudiu o barqueiro de Ílhavo."
)


@pytest.mark.parametrize(
    "tail",
    [
        # A clause that qualifies the words quoted, where the joke is.
        ", quando a tal restauração caiu, como a todas as restaurações sempre sucede e há de "
        "suceder, em ódio tal que nem uma pobre vila a quis para sobrenome.",
        # A pause before the sentence's last words.
        ", e de moda germânica, que se mete hoje em tudo e com que se explica tudo e mais "
        "alguma coisa... quanto se não sabe explicar.",
    ],
)
def test_a_long_sentence_quoted_without_the_clause_its_point_is_in_ranks_lower(
    tail: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = "Já saudámos Alhandra, a vila dos toiros; Vila Franca, a que foi de Xira"
    text = f"{head}{tail}\n\n{OTHERS}"
    cut, words = _central(text, "Já saudámos")
    assert _cut_short(cut, words)
    monkeypatch.setattr(engine, "_CUT_SHORT_PENALTY", 0.0)
    undocked, _ = _central(text, "Já saudámos")
    assert cut.strength < undocked.strength
    whole, words = _central(f"{head}.\n\n{OTHERS}", "Já saudámos")
    assert not _cut_short(whole, words)


def test_a_clause_that_holds_most_of_its_sentence_is_not_cut_short() -> None:
    # Fewer words are left out than are quoted: little of the point is lost.
    sentence = (
        "O barqueiro de Ílhavo contou aos campinos da proa, devagar e sem pressa nenhuma, a "
        "longa história da última tormenta no mar alto, quando o barco quase se perdeu na "
        "barra de Aveiro com toda a gente."
    )
    candidate, words = _central(f"{sentence}\n\n{OTHERS}", "O barqueiro de Ílhavo contou")
    assert not _cut_short(candidate, words)


def test_the_portuguese_scene_question_puts_the_reader_there() -> None:
    templates = templates_for("pt")
    assert templates is not None
    (scene,) = [t for t in templates.templates if t.id == "pt.central.evaluative.story"]
    assert "se lá estivessem" in scene.text
    assert "situação parecida" not in scene.text  # which side of it? the reader cannot tell


def _leans(sentence: str) -> bool:
    lexicon = lexicon_for("pt")
    parsed = parse_section(sentence, lexicon)
    words = _words(lexicon, parsed, "story")
    (first,) = parsed.sentences
    candidate = _Candidate("central", 0.5, frozenset(), {}, first, (0, len(first.text)))
    return candidate.dangles(words)


@pytest.mark.parametrize(
    "sentence",
    [
        "Preciso de o dizer ao leitor, para que esteja prevenido desde já.",
        "Tive pena de a deixar na estalagem, sozinha e sem dinheiro nenhum.",
    ],
)
def test_a_portuguese_object_pronoun_before_an_infinitive_points_back(sentence: str) -> None:
    assert _leans(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Voltámos de manhã para o mar, e os barqueiros cantavam ao remo.",
        "Preciso de dizer ao leitor que esta viagem é um símbolo do nosso progresso.",
    ],
)
def test_an_article_or_a_bare_infinitive_does_not_point_back(sentence: str) -> None:
    assert not _leans(sentence)
