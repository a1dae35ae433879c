"""A narrator's question that the next few words settle ("Que outra estrada tem esta provincia …?
Só a da serra.") is a flourish, not a question to put to readers."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentence_kinds import answered_at_once
from bot.reading.prompts.sentences import ParsedSection, Sentence, parse_section

STORY = """\
A carroça seguia pela estrada devagar, e nós iamos sentados atrás a ver passar os campos.

Os trigais maduros estendiam-se a perder de vista, e aqui e ali appareciam moinhos e \
casas caiadas. Que outra estrada tem esta provincia que se iguale em alegria a esta? \
Só a da serra. E mesmo essa é mais triste no inverno.

O carroceiro contou-nos então a vida do seu avô, que guardara rebanhos naquelles montes \
durante quarenta annos. Mas quem sabe hoje o que a serra ainda esconde aos que nella \
moram? Ninguem o sabe ao certo, nem os pastores mais velhos que a percorrem desde pequenos."""


def _sentence(parsed: ParsedSection, opening: str) -> Sentence:
    return next(s for s in parsed.sentences if s.text.startswith(opening))


def test_a_question_answered_in_a_few_words_is_settled_at_once() -> None:
    parsed = parse_section(STORY, lexicon_for("pt"))
    assert answered_at_once(_sentence(parsed, "Que outra estrada"), parsed)
    assert not answered_at_once(_sentence(parsed, "Mas quem sabe"), parsed)


# The same trip with no other question in it: only the settled one could be asked.
SETTLED_ONLY = (
    STORY.split("\n\nO carroceiro")[0]
    + "\n\nO carroceiro contou-nos então a vida do seu avô, que guardara rebanhos naquelles "
    "montes durante quarenta annos, e da casa de pedra junto à fonte."
)


def test_a_question_settled_at_once_is_not_asked_of_readers() -> None:
    prompts = generate_prompts(SETTLED_ONLY, language="pt", kind=TextKind.STORY).prompts
    assert prompts
    assert all("Que outra estrada" not in (p.quote or "") for p in prompts)


# The narrator's question followed by a short line that announces the answer: the answer is
# still to come, so nothing is settled yet.
ANNOUNCED = (
    "Os trigais maduros estendiam-se a perder de vista. Que outra estrada tem esta provincia "
    "que se iguale em alegria a esta? Digo-o já:\n\n"
    "A da serra, quando a neve derrete e os pastores sobem com os rebanhos aos montes."
)


def test_a_question_followed_by_a_line_announcing_its_answer_is_not_settled() -> None:
    parsed = parse_section(ANNOUNCED, lexicon_for("pt"))
    assert not answered_at_once(_sentence(parsed, "Que outra estrada"), parsed)
