"""A narrator's question that the next few words settle ("Que outra sahida tem Lisboa …?
Tirado Bellem, nenhuma.") is a flourish, not a question to put to readers."""

from __future__ import annotations

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentence_kinds import answered_at_once
from bot.reading.prompts.sentences import parse_section

STORY = """\
O barco subia o rio devagar, e nós iamos sentados á proa a ver passar as margens.

De um lado a largueza do rio em toda a sua força, do outro as hortas e os pomares e as \
quintas antigas. Que outra viagem tem esta terra que se compare em belleza com ésta? \
Tirado o Douro, nenhuma. E ainda assim o Douro é mais aspero.

O barqueiro contou-nos então a historia da sua familia, que vivia da pesca havia tres \
gerações. Mas quem sabe hoje o que o rio ainda guarda para os que nelle vivem? Ninguem \
o pode dizer com certeza, nem os velhos da aldeia que o conhecem desde meninos."""


def _sentence(parsed, opening: str):
    return next(s for s in parsed.sentences if s.text.startswith(opening))


def test_a_question_answered_in_a_few_words_is_settled_at_once() -> None:
    parsed = parse_section(STORY, lexicon_for("pt"))
    assert answered_at_once(_sentence(parsed, "Que outra viagem"), parsed)
    assert not answered_at_once(_sentence(parsed, "Mas quem sabe"), parsed)


# The same trip with no other question in it: only the settled one could be asked.
SETTLED_ONLY = (
    STORY.split("\n\nO barqueiro")[0]
    + "\n\nO barqueiro contou-nos então a historia da sua familia, que vivia da pesca havia "
    "tres gerações, e da casa velha junto ao caes."
)


def test_a_question_settled_at_once_is_not_asked_of_readers() -> None:
    prompts = generate_prompts(SETTLED_ONLY, language="pt", kind="story").prompts
    assert prompts
    assert all("Que outra viagem" not in (p.quote or "") for p in prompts)
