"""Quotes a facilitator can read out as they stand: speech marks never doubled, a speech carried
on in the same paragraph named for its speaker, no quote ending on an article, no pronoun in an
argument's quote pointing to what came before, and questions that fit what the sentence does."""

from __future__ import annotations

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.moves import detect_moves
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.quotes import QuoteWords, choose_quote
from bot.reading.prompts.sentence_kinds import DESCRIPTION, EVENT, PERSONAL, sentence_features
from bot.reading.prompts.sentences import parse_section
from bot.reading.prompts.speakers import named_speaker


def _template(template_id: str):
    language = template_id.split(".")[0]
    templates = templates_for(language)
    assert templates is not None
    return next(t for t in templates.templates if t.id == template_id)


def test_speech_marks_inside_a_quote_are_shown_as_nested_marks() -> None:
    template = _template("en.central.interpretive.story")
    quote = "“Hold hard,” said the Rat, “and wait for me.”"
    shown = template.render({"quote": quote})
    assert shown.startswith("“‘Hold hard,’ said the Rat, ‘and wait for me.’”")
    assert "““" not in shown
    assert "””" not in shown
    german = _template("de.central.interpretive.story")
    rendered = german.render({"quote": 'Die eigentlichen "Interessen" des Gelehrten'})
    assert rendered.startswith("„Die eigentlichen ‚Interessen‘ des Gelehrten“")


def test_a_speech_quoted_whole_is_quoted_without_its_marks() -> None:
    text = "“Just you and the river, and nobody else to talk to all day?”"
    span = choose_quote(text, (0, len(text)), QuoteWords(frozenset({"and", "the", "to"})))
    assert span is not None
    assert text[span[0] : span[1]] == (
        "Just you and the river, and nobody else to talk to all day?"
    )


def test_a_speech_carried_on_in_the_same_paragraph_is_its_speaker_s() -> None:
    text = (
        "The two friends walked along the bank in the evening light.\n\n"
        "“Is it not dull at times?” the Mole ventured. “Hm,” said the Rat. "
        "“What sort of a life would you have instead, down there in the dark?”"
    )
    lexicon = lexicon_for("en")
    parsed = parse_section(text, lexicon)
    carried = next(s for s in parsed.sentences if s.text.startswith("“What sort"))
    assert named_speaker(parsed, carried, lexicon) == "the Rat"


def test_a_character_s_line_is_no_turn_of_the_story_nor_a_situation_to_have_been_in() -> None:
    text = (
        "The housekeeper led them into the library, a long low room panelled in oak.\n\n"
        "“The knight lived on for nine years, and suddenly vanished one winter night,” "
        "said the housekeeper, lowering her voice.\n\n"
        "“Did you ever see the stain by the fire?” he asked.\n\n"
        "The family went up to bed early, and the house was silent by eleven o'clock."
    )
    prompts = generate_prompts(text, language="en", kind="story").prompts
    assert prompts
    for prompt in prompts:
        if prompt.quote and prompt.quote.startswith(("The knight", "“The knight")):
            assert prompt.move != "turn", prompt.text
        assert "similar situation" not in prompt.text or "Did you" not in prompt.text


def test_no_quote_ends_on_an_article_left_open() -> None:
    words = QuoteWords(
        frozenset({"den", "es", "denn", "unter", "ihnen"}),
        clause_words=frozenset({"wenn"}),
        articles=frozenset({"den", "der", "die"}),
        capitalised_nouns=True,
    )
    text = (
        "Waren denn alle Angestellten samt und sonders Lumpen, gab es denn unter ihnen keinen "
        "treuen ergebenen Menschen, den, wenn er auch nur ein paar Morgenstunden nicht für das "
        "Geschäft ausgenützt hatte, vor Gewissensbissen närrisch wurde und geradezu nicht "
        "imstande war, das Bett zu verlassen?"
    )
    span = choose_quote(text, (0, len(text)), words)
    assert span is None or not text[span[0] : span[1]].rstrip(",").endswith(" den")


def test_an_argument_quotes_no_pronoun_pointing_back_when_others_stand() -> None:
    text = (
        "Die Philosophie der Schulen war lange nur ein Versprechen an ihre Leser. "
        "Gewiss ist, dass sie sich nicht hat halten lassen. "
        "Man muss dazu schon eine neue Art von Lesern abwarten. "
        "Jede Lehre beginnt als Vermutung und endet als Gewohnheit der Schüler. "
        "Der Zweifel ist die Schule des Urteils und die Mutter der Vorsicht. "
        "Ein Gedanke, den niemand prüft, wird mit der Zeit zum Vorurteil.\n\n"
        "Die Sprache verführt den Denker zu Gegensätzen, die es nicht giebt. "
        "Wer fragt, muss auch die eigene Frage prüfen können. "
        "Die Wahrheit liebt die Geduld mehr als den Eifer der Jugend. "
        "Der Lehrer lernt am meisten von den Fragen seiner Schüler. "
        "Die Gewohnheit macht aus jedem Irrtum mit der Zeit eine Regel."
    )
    prompts = generate_prompts(text, language="de", kind="argument").prompts
    assert len(prompts) >= 3
    quotes = [p.quote or "" for p in prompts]
    assert not any(q.startswith(("Gewiss ist, dass sie", "Man muss dazu")) for q in quotes), quotes


def test_a_participle_in_a_relative_clause_describes_and_a_passive_tells() -> None:
    lexicon = lexicon_for("en")
    text = (
        "Mr. Hale the notary was a man of a grey face that was never lighted by a smile.\n\n"
        "Some time after, Mr. Hale was awakened by a curious noise in the hall."
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
        "The timid minister is like a man who should give up chess because he was beaten at chess."
    )
    parsed = parse_section(text, lexicon)
    moves = {m.move for m in detect_moves(parsed, lexicon)}
    assert not moves & {"claim", "cause"}, moves


def test_a_statement_in_the_first_person_is_not_put_up_for_agreement() -> None:
    lexicon = lexicon_for("en")
    text = "I am not concerned with the poet as a vivid artist or a vigorous personality."
    parsed = parse_section(text, lexicon)
    features = sentence_features(parsed.sentences[0], parsed, lexicon)
    assert PERSONAL in features
    agree = _template("en.central.evaluative.agree")
    assert not agree.fits(features | {"argument"}, {"quote": ""})


def test_means_that_draws_a_consequence_not_a_definition() -> None:
    lexicon = lexicon_for("en")
    consequence = "Modern liberty means that nobody is allowed to discuss the question at all."
    definition = "Modern liberty means freedom from every rule that the old schools kept."
    for text, defined in ((consequence, False), (definition, True)):
        parsed = parse_section(text, lexicon)
        found = [m for m in detect_moves(parsed, lexicon) if m.move == "definition"]
        assert bool(found) == defined, text
    parsed = parse_section("The modern idea is old. " + definition, lexicon)
    (found,) = [m for m in detect_moves(parsed, lexicon) if m.move == "definition"]
    assert found.slots["term"] == "modern liberty"


def test_a_section_that_cannot_get_three_kinds_of_question_gets_none() -> None:
    # A character's three words, with no event, person or portrait in them: no question of
    # the interpretive kind fits, and two prompts make no discussion.
    prompts = generate_prompts('" 0 0 0 ', language="en").prompts
    assert len(prompts) in (0, 3, 4, 5)
