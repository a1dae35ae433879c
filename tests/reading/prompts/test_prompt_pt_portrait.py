"""A Portuguese portrait of a place is asked what the narrator picks out and in which words,
as in the other languages, not for a paraphrase a plain sentence leaves nothing to."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts

VILLAGE = """\
A aldeia fica no alto do monte, pequena mas alegre, com as suas casas brancas e os seus \
quintaes cheios de flores.

O rio corre lá em baixo, largo e sereno, entre salgueiros velhos e campos de milho dourado.

Á tarde os pescadores voltam com as redes ás costas e as mulheres esperam-nos á porta, a \
conversar."""


def test_a_portrait_is_asked_what_the_narrator_picks_out_and_in_which_words() -> None:
    prompts = generate_prompts(VILLAGE, language="pt", kind=TextKind.STORY).prompts
    portraits = [p for p in prompts if p.template == "pt.central.factual.portrait"]
    assert portraits
    for prompt in portraits:
        assert "o que destaca aqui o narrador" in prompt.text
        assert "por outras palavras" not in prompt.text
