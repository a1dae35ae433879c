"""The prompt engine's parts: splitting, quoting, moves, centrality, key phrases, templates."""

from __future__ import annotations

import pytest

from bot.reading.prompts.centrality import centrality
from bot.reading.prompts.keyphrases import generic_stopwords, key_phrases
from bot.reading.prompts.kind_moves import MOVES_OF
from bot.reading.prompts.lexicon import base_language, lexicon_for
from bot.reading.prompts.model import PromptKind
from bot.reading.prompts.moves import count_phrase, detect_moves
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.quotes import QuotableText, QuoteWords, choose_quote_in
from bot.reading.prompts.sentences import parse_section, split_sentences

EN = lexicon_for("en")
EN_QUOTES = QuoteWords(
    EN.stopwords, EN.clause_words, EN.abbreviations, EN.dangling, EN.subordinators
)
IT = lexicon_for("it")
LANGUAGES = ["en", "it", "es", "fr", "de", "pt"]


def moves_of(text: str, language: str = "en") -> list[tuple[str, str]]:
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    return [
        (m.move, m.sentence.text[m.anchor[0] : m.anchor[1]]) for m in detect_moves(parsed, lexicon)
    ]


# Sentences and blocks


def test_headings_items_and_artefacts_are_told_apart() -> None:
    text = (
        "The Functions\n\n"
        "We accept four functions, based on autonomy:\n\n"
        "defence within class society;\n\n"
        "material attacks against exploitation.\n\n"
        "new list\n\n"
        "Another paragraph follows here."
    )
    parsed = parse_section(text, EN)
    assert parsed.roles == ("heading", "paragraph", "item", "item", "fragment", "paragraph")
    assert [s.kind for s in parsed.sentences] == ["sentence", "item", "item", "sentence"]
    assert all("The Functions" not in s.text for s in parsed.sentences)


def test_sentence_offsets_are_verbatim_and_block_numbers_one_based() -> None:
    text = "Title Here\n\nFirst one here. Second one, “quoted”, here!\n\nThird — with a dash."
    parsed = parse_section(text, EN)
    blocks = text.split("\n\n")
    for sentence in parsed.sentences:
        assert blocks[sentence.block - 1][sentence.start : sentence.end] == sentence.text
    assert [(s.block, s.preceded, s.followed) for s in parsed.sentences] == [
        (2, False, True),
        (2, True, False),
        (3, False, False),
    ]


def test_markdown_list_in_one_block_gives_one_item_a_line() -> None:
    text = "Three habits:\n\n- read the same pages;\n- everyone speaks;\n- questions first."
    items = [s.text for s in parse_section(text, EN).sentences if s.kind == "item"]
    assert items == ["read the same pages;", "everyone speaks;", "questions first."]


def test_lettered_points_do_not_break_a_sentence() -> None:
    run = "Militants must encourage the points a) and b) above. Secondly, they must speak."
    spans = [run[s:e] for s, e in split_sentences(run, EN)]
    assert spans == [
        "Militants must encourage the points a) and b) above.",
        "Secondly, they must speak.",
    ]


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("Dr. Rossi arrived. Then he left.", ["Dr. Rossi arrived.", "Then he left."]),
        ("“Come in,” she said. He did.", ["“Come in,” she said.", "He did."]),
        ("It was 1974. Nothing changed.", ["It was 1974.", "Nothing changed."]),
    ],
)
def test_sentence_splitting_handles_abbreviations_and_dialogue(
    run: str, expected: list[str]
) -> None:
    assert [run[s:e] for s, e in split_sentences(run, EN)] == expected


def test_italian_sentences_split_past_abbreviations_and_guillemets() -> None:
    run = "Il sig. Rossi è arrivato. «Entra», disse lei. Poi è partito!"
    spans = [run[s:e] for s, e in split_sentences(run, IT)]
    assert spans == ["Il sig. Rossi è arrivato.", "«Entra», disse lei.", "Poi è partito!"]


# Quotes


def test_quote_starts_at_a_definition_and_ends_at_a_clause() -> None:
    text = (
        "Inter-classism is the belief that mass organizations recognize the State as being "
        "unbiased and representing the entire people, the essence of the (purely economic) "
        "categories which distinguish one citizen from another."
    )
    cue = text.index("is the belief")
    span = choose_quote_in(QuotableText(text, EN_QUOTES), (cue, cue + 18), from_anchor=True)
    assert span is not None
    assert text[span[0] : span[1]] == (
        "is the belief that mass organizations recognize the State as being unbiased and "
        "representing the entire people"
    )


def test_quote_never_cuts_a_word_and_keeps_curly_quotes() -> None:
    text = (
        "We can divide these errors into two basic types: the first, “spontaneism”, the "
        "second “ideologism”, and both of them end up crushing the life out of the very same "
        "mass organizations they claim to serve."
    )
    anchor = text.index("two basic types")
    span = choose_quote_in(QuotableText(text, EN_QUOTES), (anchor, anchor + 15))
    assert span is not None
    quote = text[span[0] : span[1]]
    assert 3 <= len(quote.split()) <= 25
    assert quote.count("“") == quote.count("”")
    assert span[0] == 0 or not text[span[0] - 1].isalnum()
    assert span[1] == len(text) or not text[span[1]].isalnum()


@pytest.mark.parametrize("max_words", [4, 7, 11, 25])
def test_quote_respects_the_word_limit(max_words: int) -> None:
    text = " ".join(f"Clause{i} runs on;" for i in range(60))
    anchor = text.index("Clause30")
    span = choose_quote_in(QuotableText(text, EN_QUOTES), (anchor, anchor + 8), max_words=max_words)
    assert span is not None
    assert 3 <= len(text[span[0] : span[1]].split()) <= max_words


def test_too_few_words_cannot_be_quoted() -> None:
    assert choose_quote_in(QuotableText("Two words", EN_QUOTES), (0, 3)) is None


# Moves


def test_definitions_name_their_term() -> None:
    lexicon = EN
    parsed = parse_section(
        "No To Economicism\n\nInter-classism is the belief that the State is unbiased. "
        "It is the opposite of inter-classism.\n\n"
        "The circle is closed: by being separated from politics, economics simply means "
        "political subservience.\n\nThis means that nothing changes.",
        lexicon,
    )
    definitions = [m for m in detect_moves(parsed, lexicon) if m.move == "definition"]
    assert [m.slots["term"] for m in definitions] == ["inter-classism", "economics"]
    assert "belief" in definitions[0].features
    assert all(m.from_anchor for m in definitions)


def test_naming_moves_carry_the_named_term() -> None:
    moves = moves_of("This characteristic is also known as “trade-unionism”.")
    assert moves == [("definition", "is also known as “trade-unionism”")]


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Management is not the dream of one mind, but a practical indication.", "not"),
        ("A circle should begin with questions rather than summaries.", "rather than"),
        ("On the other hand, history shows that the masses decide.", "On the other hand"),
    ],
)
def test_a_contrast_is_found_from_its_cue(sentence: str, cue: str) -> None:
    contrasts = [anchor for move, anchor in moves_of(sentence) if move == "contrast"]
    assert len(contrasts) == 1
    assert contrasts[0].startswith(cue)


@pytest.mark.parametrize(
    "sentence",
    [
        "Neither the party nor the state can decide for them.",
        "Instead, he went home and slept.",
    ],
)
def test_a_contrast_needs_two_sides(sentence: str) -> None:
    assert not [m for m, _ in moves_of(sentence) if m == "contrast"]


def test_not_only_is_no_contrast() -> None:
    assert not [
        m for m, _ in moves_of("Not only do they speak, but also they act.") if m == "contrast"
    ]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("We accept four fundamental historical functions for mass organizations.",
         "four fundamental historical functions"),
        ("There are three consequent lines of action:", "three consequent lines of action"),
        ("These are based on the two principles of social self-management in struggle.",
         "two principles of social self-management"),
        ("We can divide these errors into two basic types: the first and the second.",
         "two basic types"),
    ],
)  # fmt: skip
def test_a_count_phrase_is_found_whole(text: str, phrase: str) -> None:
    span = count_phrase(text, EN)
    assert span is not None
    assert text[span[0] : span[1]] == phrase


def test_count_phrase_needs_a_plural_noun() -> None:
    assert count_phrase("One or two of them came.", EN) is None
    assert count_phrase("Un buon circolo si regge su tre abitudini fondamentali:", IT) is not None


def test_enumeration_with_list_items_is_led_by_its_colon_sentence() -> None:
    text = (
        "We accept four fundamental historical functions for mass organizations:\n\n"
        "defence and sustenance;\n\nmaterial attacks;\n\nan alternative management;\n\n"
        "revolutionary consciousness."
    )
    parsed = parse_section(text, EN)
    enumerations = [m for m in detect_moves(parsed, EN) if m.move == "enumeration"]
    assert len(enumerations) == 1
    assert {"lead", "items", "count"} <= enumerations[0].features
    assert enumerations[0].slots["count"] == "four fundamental historical functions"


def test_a_must_is_a_claim_and_a_because_or_consequently_a_cause() -> None:
    moves = moves_of(
        "Mass organizations must be able to build new structures. "
        "Consequently, this type of union is excluded from all political decisions. "
        "The bourgeoisie reacted because the proletariat was building its own power. "
        "There is the need to attack exploitation."
    )
    kinds = [m for m, _ in moves]
    assert kinds.count("claim") == 1
    assert kinds.count("cause") == 2


def test_named_examples_keep_their_article() -> None:
    lexicon = EN
    text = (
        "Other moments also provide lessons — the Biennio Rosso (1919–20) in Italy and the "
        "experiences in Chile. From the times of the Paris Commune, the road passes through "
        "the mass organizations."
    )
    parsed = parse_section(text, lexicon)
    names = [m.slots["name"] for m in detect_moves(parsed, lexicon) if m.move == "example"]
    assert names == ["the Biennio Rosso", "the Paris Commune"]


@pytest.mark.parametrize(
    ("elsewhere", "name"),
    [
        # "para Évora": the town takes no article, so "a Évora" is "to Évora".
        ("Parti para Évora numa manhã de maio.", "Évora"),
        # "para a Ribeira": the place keeps its article.
        ("Voltou para a Ribeira o nosso vehiculo.", "a Ribeira"),
    ],
)
def test_a_portuguese_a_before_a_name_is_its_article_only_where_the_name_takes_one(
    elsewhere: str, name: str
) -> None:
    lexicon = lexicon_for("pt")
    place = name.removeprefix("a ")
    said = f"Vou nada menos que a {place}: e protesto que de quanto vir se hade fazer chronica."
    text = f"{elsewhere} {said}"
    parsed = parse_section(text, lexicon)
    names = {m.slots["name"] for m in detect_moves(parsed, lexicon) if m.move == "example"}
    assert names == {name}


def test_capitalised_common_words_are_not_examples() -> None:
    assert not [
        m for m, _ in moves_of("They recognize the State as being unbiased.") if m == "example"
    ]


def test_an_italian_text_shows_every_move() -> None:
    moves = {
        m
        for m, _ in moves_of(
            "La lettura lenta è la pratica di dare tempo al testo. "
            "Non è una lezione, ma una conversazione tra pari. "
            "Il facilitatore deve perciò evitare di fare lezione. "
            "Nel 1902 Oscar Olsson propose i circoli di studio.",
            "it",
        )
    }
    assert {"definition", "contrast", "claim", "cause", "example"} <= moves


def test_languages_without_a_lexicon_detect_no_moves() -> None:
    assert moves_of("Dat is niet de vraag, maar het antwoord.", "nl") == []


# Centrality and key phrases


def test_the_sentence_sharing_most_is_most_central() -> None:
    terms = [["mass", "organ", "auton"], ["mass", "organ"], ["auton", "organ"], ["weather"]]
    scores = centrality(terms)
    assert max(scores) == scores[0] == 1.0
    assert scores[3] == min(scores)
    assert centrality([]) == []
    assert centrality([["one"]]) == [1.0]


def test_key_phrases_prefer_recurring_phrases() -> None:
    sentences = [
        "Mass organizations differ from political organizations.",
        "The mass organizations decide for themselves.",
        "Only the mass organizations can carry the revolution.",
        "Weather was fine.",
    ]
    phrases = key_phrases(sentences, EN.stopwords)
    top = next(p for p in phrases if p.count >= 2)
    assert top.key == "mass organizations"
    assert top.phrase == "mass organizations"


def test_generic_stopwords_catch_short_and_ubiquitous_words() -> None:
    sentences = [f"der Kreis liest Text {i}" for i in range(8)]
    stop = generic_stopwords(sentences)
    assert {"der", "kreis", "liest"} <= stop


# Templates and lexicons as data


@pytest.mark.parametrize("language", LANGUAGES)
def test_templates_cover_every_move_of_every_kind_of_text(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    for text_kind, moves in MOVES_OF.items():
        features = frozenset({text_kind, "speaker", "listener"})
        slots = {"speaker": "S", "listener": "L", "quote": "", "term": "t", "count": "c"}
        slots |= {"name": "N", "key_phrase": "k"}
        for move in moves | {"central"}:
            for kind in PromptKind:
                fitting = [
                    t
                    for t in templates.templates
                    if t.move == move and t.kind == kind and t.fits(features | t.needs, slots)
                ]
                assert fitting, (language, text_kind, move, kind)
        for kind in PromptKind:
            # A passage with no particular feature must always find a template of each kind.
            assert any(
                t.fits(frozenset({text_kind}), {"quote": ""})
                for t in templates.templates
                if t.move == "central" and t.kind == kind
            ), (language, text_kind, kind)


@pytest.mark.parametrize("language", LANGUAGES)
def test_templates_render_to_questions(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    known = {
        "definiens", "belief", "named", "preceded", "followed", "count", "lead", "items",
        "result", "reason", "linked", "name", "speaker", "listener", "person",
        "event", "general", "description", "plan", "greeting", "answered", "spoken", "open",
        "frame", "letter", "felt", "introduced", "personal", "self", "aside", "alone",
        "company", "replied", "rhymed", "manner", "reframed", "habit", "asking", "rhetorical",
        "charged", "feeling", "arrival", "placed", "scrap", "course", "supposed", "likeness",
        "turned", "figured", "unnamed", "addressed", "timed",
    }  # fmt: skip
    values = {
        "quote": "a few words",
        "term": "t",
        "count": "two things",
        "name": "N",
        "key_phrase": "k",
        "speaker": "the Marquis",
        "listener": "the Count",
        "person": "the Mole",
        "turn": "Yet",
        "pronoun": "they",
    }
    for template in templates.templates:
        assert template.needs | template.excludes <= known, template.id
        text = template.render(values)
        assert text.endswith("?"), template.id
        assert "{" not in text, template.id
        assert len(text) <= 220, template.id
        assert ("quote" in template.slots) != ("key_phrase" in template.slots), template.id


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_language_has_every_english_template(language: str) -> None:
    english = templates_for("en")
    other = templates_for(language)
    assert english is not None
    assert other is not None
    assert {t.id[3:] for t in english.templates} == {t.id[3:] for t in other.templates}
    by_id = {t.id[3:]: t for t in english.templates}
    for template in other.templates:
        twin = by_id[template.id[3:]]
        assert (template.needs, template.excludes, template.texts) == (
            twin.needs,
            twin.excludes,
            twin.texts,
        ), template.id
        # The same grounding; a language may leave a name unrepeated.
        slots = {slot.lower() for slot in template.slots}
        assert slots <= {slot.lower() for slot in twin.slots}, template.id
        assert ("quote" in slots) == ("quote" in twin.slots), template.id


def test_no_templates_for_an_unknown_language() -> None:
    assert templates_for("nl") is None


@pytest.mark.parametrize(
    ("code", "base"), [("it-IT", "it"), ("EN_gb", "en"), ("", "en"), ("123", "en")]
)
def test_a_language_code_comes_down_to_its_base_or_english(code: str, base: str) -> None:
    assert base_language(code) == base


@pytest.mark.parametrize(
    ("language", "name", "asked"),
    [
        ("pt", "a Ribeira", "Porque recorre o autor à Ribeira precisamente aqui"),
        ("pt", "o Mondego", "Porque recorre o autor ao Mondego precisamente aqui"),
        ("pt", "Coimbra", "Porque recorre o autor a Coimbra precisamente aqui"),
        ("es", "el Ebro", "¿Por qué recurre el autor al Ebro justo aquí"),
        ("fr", "le Cantal", "Le texte fait appel au Cantal\u00a0:"),
        ("it", "il Brenta", "Perché l'autore ricorre al Brenta proprio qui"),
        ("it", "l'Adige", "Perché l'autore ricorre all'Adige proprio qui"),
    ],
)
def test_a_preposition_before_a_named_example_merges_with_its_article(
    language: str, name: str, asked: str
) -> None:
    templates = templates_for(language)
    assert templates is not None
    wanted = {"pt": "example.interpretive", "es": "example.interpretive"}
    wanted |= {"fr": "example.factual", "it": "example.interpretive"}
    [template] = [t for t in templates.templates if t.id == f"{language}.{wanted[language]}"]
    # The quote keeps its own words: "de o" before an infinitive is no article.
    text = template.render({"name": name, "quote": "antes de o ver"})
    assert text.startswith(asked)
    assert "antes de o ver" in text
