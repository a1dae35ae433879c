"""Quotes a facilitator can read out as they stand: speech marks never doubled, a speech carried
on in the same paragraph named for its speaker, no quote ending on an article, no pronoun in an
argument's quote pointing to what came before, and questions that fit what the sentence does."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.moves import detect_moves
from bot.reading.prompts.question_templates import Template, templates_for
from bot.reading.prompts.quotes import QuotableText, QuoteWords, choose_quote_in
from bot.reading.prompts.sentence_kinds import DESCRIPTION, EVENT, PERSONAL, sentence_features
from bot.reading.prompts.sentences import parse_section
from bot.reading.prompts.speakers import named_speaker


def _template(template_id: str) -> Template:
    language = template_id.split(".")[0]
    templates = templates_for(language)
    assert templates is not None
    return next(t for t in templates.templates if t.id == template_id)


def test_speech_marks_inside_a_quote_are_shown_as_nested_marks() -> None:
    template = _template("en.central.interpretive.story")
    quote = "“Stay close,” said the Miller, “and mind the step.”"
    shown = template.render({"quote": quote})
    assert shown.startswith("“‘Stay close,’ said the Miller, ‘and mind the step.’”")
    assert "““" not in shown
    assert "””" not in shown
    german = _template("de.central.interpretive.story")
    rendered = german.render({"quote": 'Die sogenannten "Freunde" des Hauses'})
    assert rendered.startswith("„Die sogenannten ‚Freunde‘ des Hauses“")


def test_a_speech_quoted_whole_is_quoted_without_its_marks() -> None:
    text = "“Just you and the lamp, and nobody else to talk to all night?”"
    span = choose_quote_in(
        QuotableText(text, QuoteWords(frozenset({"and", "the", "to"}))), (0, len(text))
    )
    assert span is not None
    assert text[span[0] : span[1]] == (
        "Just you and the lamp, and nobody else to talk to all night?"
    )


def test_a_speech_carried_on_in_the_same_paragraph_is_its_speaker_s() -> None:
    text = (
        "The two cousins climbed the hill behind the mill at sunset.\n\n"
        "“Is it not lonely up here?” the Baker asked. “Hm,” said the Miller. "
        "“And where would you rather be, shut in some office in the town?”"
    )
    lexicon = lexicon_for("en")
    parsed = parse_section(text, lexicon)
    carried = next(s for s in parsed.sentences if s.text.startswith("“And where"))
    assert named_speaker(parsed, carried, lexicon) == "the Miller"


def test_a_character_s_line_is_no_turn_of_the_story_nor_a_situation_to_have_been_in() -> None:
    text = (
        "The porter led them into the chapel, a narrow cold room lined with benches.\n\n"
        "“The old bishop preached here for forty years, and suddenly fell silent one Easter "
        "morning,” said the porter, dropping his voice.\n\n"
        "“Did you ever hear the organ play at night?” she asked.\n\n"
        "The guests went back to the inn early, and the street was empty by ten o'clock."
    )
    prompts = generate_prompts(text, language="en", kind=TextKind.STORY).prompts
    assert prompts
    for prompt in prompts:
        if prompt.quote and prompt.quote.startswith(("The old bishop", "“The old bishop")):
            assert prompt.move != "turn", prompt.text
        assert "similar situation" not in prompt.text or "Did you" not in prompt.text


def test_no_quote_ends_on_an_article_left_open() -> None:
    words = QuoteWords(
        frozenset({"den", "es", "denn", "im", "ganzen"}),
        clause_words=frozenset({"wenn"}),
        articles=frozenset({"den", "der", "die"}),
        capitalised_nouns=True,
    )
    text = (
        "Wohnten denn im ganzen Dorf nur Fremde, gab es denn im ganzen Tal keinen alten "
        "redlichen Nachbarn, den, wenn er einmal einen Abend nicht bei der Familie am Tisch "
        "gesessen hatte, die Sorge so sehr plagte, dass er nachts wach lag und am Morgen "
        "gleich wieder an die Tür klopfte?"
    )
    span = choose_quote_in(QuotableText(text, words), (0, len(text)))
    assert span is None or not text[span[0] : span[1]].rstrip(",").endswith(" den")


def test_an_argument_quotes_no_pronoun_pointing_back_when_others_stand() -> None:
    text = (
        "Die Kunst der alten Gilden war lange nur eine Hoffnung ihrer Lehrlinge. "
        "Sicher ist nur, dass sie sich nie ganz erfüllt hat. "
        "Man muss dazu erst eine neue Zunft von Lehrlingen finden. "
        "Jede Lehre beginnt als Vermutung und endet als Gewohnheit der Schüler. "
        "Der Zweifel ist die Schule des Urteils und die Mutter der Vorsicht. "
        "Ein Gedanke, den niemand prüft, wird mit der Zeit zum Vorurteil.\n\n"
        "Die Werkstatt lehrt den Lehrling mehr als jedes dicke Buch. "
        "Wer fragt, muss auch die eigene Frage prüfen können. "
        "Die Wahrheit liebt die Geduld mehr als den Eifer der Jugend. "
        "Der Lehrer lernt am meisten von den Fragen seiner Schüler. "
        "Die Gewohnheit macht aus jedem Irrtum mit der Zeit eine Regel."
    )
    prompts = generate_prompts(text, language="de", kind=TextKind.ARGUMENT).prompts
    assert len(prompts) >= 3
    quotes = [p.quote or "" for p in prompts]
    assert not any(q.startswith(("Sicher ist nur, dass sie", "Man muss dazu")) for q in quotes), (
        quotes
    )


def test_a_participle_in_a_relative_clause_describes_and_a_passive_tells() -> None:
    lexicon = lexicon_for("en")
    text = (
        "Mrs. Dunn the schoolmistress was a woman of a narrow face that was never softened by "
        "a laugh.\n\n"
        "Late that night, Mrs. Dunn was startled by a sharp knock at the kitchen door."
    )
    parsed = parse_section(text, lexicon)
    portrait, woken = parsed.sentences
    described = sentence_features(portrait, parsed, lexicon)
    assert DESCRIPTION in described
    assert EVENT not in described
    assert EVENT in sentence_features(woken, parsed, lexicon)


def test_no_claim_or_cause_is_read_inside_a_likeness() -> None:
    lexicon = lexicon_for("en")
    text = (
        "The nervous cook is like a gardener who would pull up every rose because one of them "
        "pricked him."
    )
    parsed = parse_section(text, lexicon)
    moves = {m.move for m in detect_moves(parsed, lexicon)}
    assert not moves & {"claim", "cause"}, moves


def test_a_statement_in_the_first_person_is_not_put_up_for_agreement() -> None:
    lexicon = lexicon_for("en")
    text = "I do not care about the mayor as a clever speaker or a generous host."
    parsed = parse_section(text, lexicon)
    features = sentence_features(parsed.sentences[0], parsed, lexicon)
    assert PERSONAL in features
    agree = _template("en.central.evaluative.agree")
    assert not agree.fits(features | {"argument"}, {"quote": ""})


def test_means_that_draws_a_consequence_not_a_definition() -> None:
    lexicon = lexicon_for("en")
    consequence = "Modern travel means that nobody is expected to know the road at all."
    definition = "Modern travel means freedom from every map that the old pilgrims kept."
    for text, defined in ((consequence, False), (definition, True)):
        parsed = parse_section(text, lexicon)
        found = [m for m in detect_moves(parsed, lexicon) if m.move == "definition"]
        assert bool(found) == defined, text
    parsed = parse_section("The modern idea is old. " + definition, lexicon)
    (definition_move,) = [m for m in detect_moves(parsed, lexicon) if m.move == "definition"]
    assert definition_move.slots["term"] == "modern travel"


def test_a_section_that_cannot_get_three_kinds_of_question_gets_none() -> None:
    # A character's three words, with no event, person or portrait in them: no question of
    # the interpretive kind fits, and two prompts make no discussion.
    prompts = generate_prompts('" 0 0 0 ', language="en").prompts
    assert len(prompts) in (0, 3, 4, 5)
