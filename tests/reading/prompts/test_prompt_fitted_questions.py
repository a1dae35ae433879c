"""Questions fitted to what the quoted sentence does: a likeness that names both its sides is
not asked what is compared with what, a question turned round is not asked as two things run
together, a reason given for a claim is not asked what else explains an outcome, a line
carried on after "the Wren ventured to ask" is the Wren's, a habit is no scene to have been
in, and a story's clock time is a transition, quoted only when nothing stronger is at hand."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.engine import Candidate, section_candidates, section_words
from bot.reading.prompts.kind_moves import detect_kind_moves
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.model import MoveKind
from bot.reading.prompts.moves import detect_moves
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import ASKING, HABIT, RHETORICAL, sentence_features
from bot.reading.prompts.sentences import parse_section
from bot.reading.prompts.speakers import named_speaker

EN = lexicon_for("en")
TEMPLATES = templates_for("en")


def _fitting(move: str, kind: str, features: set[str]) -> list[str]:
    assert TEMPLATES is not None
    return [
        t.id
        for t in TEMPLATES.templates
        if t.move == move
        and t.kind == kind
        and t.fits(frozenset(features), {"quote": "q", "speaker": "S"})
    ]


def test_a_likeness_of_manner_is_not_asked_what_is_compared_with_what() -> None:
    text = (
        "The miller's boy came home in May.\n\n"
        "At the fair the boy was greeted as if he were the mayor's own son."
    )
    parsed = parse_section(text, EN)
    images = [m for m in detect_kind_moves(parsed, EN, TextKind.STORY, {}) if m.move == "image"]
    assert images
    assert "manner" in images[0].features
    assert _fitting("image", "factual", {"story", *images[0].features}) == []


def test_a_picture_drawn_from_elsewhere_is_still_asked_what_is_compared() -> None:
    text = "The lane ran down to the mill.\n\nThe old mill wheel turned like a tired clock."
    parsed = parse_section(text, EN)
    images = [m for m in detect_kind_moves(parsed, EN, TextKind.STORY, {}) if m.move == "image"]
    assert images
    assert "manner" not in images[0].features
    assert _fitting("image", "factual", {"story", *images[0].features}) == ["en.image.factual"]


def test_a_question_turned_round_is_asked_as_a_reframing() -> None:
    text = (
        "Bakers quarrel about flour all year.\n\n"
        "What worries them is not how the flour is milled, but whether the farmers sell it at all."
    )
    parsed = parse_section(text, EN)
    contrasts = [m for m in detect_moves(parsed, EN) if m.move == "contrast"]
    assert contrasts
    assert "reframed" in contrasts[0].features
    fitting = _fitting("contrast", "interpretive", {"argument", *contrasts[0].features})
    assert fitting == ["en.contrast.interpretive.reframed"]


def test_two_things_set_apart_are_still_asked_why_the_distinction_matters() -> None:
    text = "Bakers quarrel all year.\n\nGood bakers boast not of their ovens, but of their loaves."
    parsed = parse_section(text, EN)
    contrasts = [m for m in detect_moves(parsed, EN) if m.move == "contrast"]
    assert contrasts
    assert "reframed" not in contrasts[0].features
    fitting = _fitting("contrast", "interpretive", {"argument", *contrasts[0].features})
    assert fitting == ["en.contrast.interpretive"]


def test_a_reason_for_a_general_claim_is_not_asked_about_an_outcome() -> None:
    assert TEMPLATES is not None
    asked = [t.text for t in TEMPLATES.templates if t.move == "cause" and t.kind == "interpretive"]
    assert asked
    assert all("outcome" not in text for text in asked)


def test_a_line_carried_on_after_ventured_to_ask_is_the_speaker_s() -> None:
    text = (
        "The Heron stood still among the reeds.\n\n"
        "“Is the ferry running today?” the Wren ventured to ask. "
        "“Or must we fly round by the bridge again?”"
    )
    parsed = parse_section(text, EN)
    names = [named_speaker(parsed, s, EN) for s in parsed.sentences]
    assert names == [None, "the Wren", "the Wren"]


def test_a_habit_told_in_summary_is_no_scene_to_have_been_in() -> None:
    text = "The girl worked at the dairy.\n\nEvery Saturday morning she took the cheeses to market."
    parsed = parse_section(text, EN)
    habit = parsed.sentences[1]
    features = sentence_features(habit, parsed, EN)
    assert HABIT in features
    fitting = _fitting("central", "evaluative", {"story", "person", *features})
    assert "en.central.evaluative.scene" not in fitting
    assert "en.central.evaluative.story" not in fitting
    once = sentence_features(parsed.sentences[0], parsed, EN)
    assert HABIT not in once


CLOCKWORK = (
    "The Pikes had rented the keeper's cottage on the point for the summer, though the "
    "harbour master shook his head at it. Mrs. Pike only smiled at his stories of gales.\n\n"
    "The Pikes ate their supper at nine o'clock and went straight up to bed in the "
    "keeper's cottage.\n\n"
    "The sea beat hard on the rocks below the keeper's cottage until dawn. "
    "Mr. Pike dreamed of sailing boats in the keeper's cottage."
)


def test_a_story_s_clock_time_is_not_quoted_when_stronger_lines_are_at_hand() -> None:
    prompts = generate_prompts(CLOCKWORK, language="en", kind=TextKind.STORY).prompts
    assert prompts
    assert all("o'clock" not in (p.quote or "") for p in prompts), [p.text for p in prompts]


def test_only_a_question_is_asked_what_you_would_have_answered() -> None:
    remark = _fitting("speech", "evaluative", {"story", "speaker", "spoken", "description"})
    question = _fitting("speech", "evaluative", {"story", "speaker", "spoken", "asking"})
    assert "en.speech.evaluative" not in remark
    assert "en.speech.evaluative" in question


REMARKS = (
    "The baker and her sister walked along the canal after the market closed.\n\n"
    "“You are very cheerful for a Monday,” said Mrs. Pike, looking at the barges.\n\n"
    "“Does the canal ever freeze in the winter?” asked Miss Dunn, stopping by the lock.\n\n"
    "The two women stood a long while by the lock and watched the slow barges pass."
)


def test_a_character_s_question_is_marked_as_asking_and_a_remark_is_not() -> None:
    parsed = parse_section(REMARKS, EN)
    words = section_words(EN, parsed, TextKind.STORY)
    speeches = [
        c for c in section_candidates(parsed, EN, words, None, TextKind.STORY) if c.move == "speech"
    ]
    asking = {c.slots["speaker"]: ASKING in c.features for c in speeches}
    assert asking == {"Mrs. Pike": False, "Miss Dunn": True}


SPHINX_DE = (
    "Wir haben den ganzen Sommer über den Plan des Gartens gestritten und nichts beschlossen. "
    "Die Nachbarn haben uns mit ihren Ratschlägen allein gelassen.\n\n"
    "Ist es ein Wunder, dass die Rosen dabei verblüht sind? "
    "Wozu brauchen wir überhaupt einen Plan für ein so kleines Stück Land? "
    "Dieser Streit ist älter als jedes Beet in unserem Garten."
)


def test_a_question_that_answers_itself_is_not_put_to_the_readers_own_answer() -> None:
    lexicon = lexicon_for("de")
    parsed = parse_section(SPHINX_DE, lexicon)
    words = section_words(lexicon, parsed, TextKind.ARGUMENT)
    asked = {
        c.sentence.text[:12]: RHETORICAL in c.features
        for c in section_candidates(parsed, lexicon, words, None, TextKind.ARGUMENT)
        if c.move == "question" and c.sentence is not None
    }
    assert asked == {"Ist es ein W": True, "Wozu brauche": False}
    templates = templates_for("de")
    assert templates is not None
    fitting = [
        t.id
        for t in templates.templates
        if t.move == "question"
        and t.kind == "evaluative"
        and t.fits(frozenset({"argument", RHETORICAL}), {"quote": "q"})
    ]
    assert fitting == []


def _leans_de(sentence: str) -> bool:
    lexicon = lexicon_for("de")
    parsed = parse_section(sentence, lexicon)
    words = section_words(lexicon, parsed, TextKind.ARGUMENT)
    first = parsed.sentences[0]
    candidate = Candidate(MoveKind.CENTRAL, 0.5, frozenset(), {}, first, (0, len(first.text)))
    return candidate.dangles(words)


def test_a_german_es_asked_about_points_back_but_es_giebt_does_not() -> None:
    assert _leans_de("Man fragt sich, inwiefern es dem Garten nützt oder schadet.")
    assert not _leans_de("Der Gärtner weiß nicht, ob es im Winter genug Regen giebt.")
    assert not _leans_de("In jedem Garten giebt es eine Ecke, wo das Unkraut siegt.")
