"""An Italian preface asked about as the words of whoever presents the pages, not as the
author opening the book: a preface's speaker is often a character (a doctor, an editor), and
the sentence asked about need not be the book's first."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts

PREFACE_IT = (
    "Prefazione\n\n"
    "Io sono l'editore di queste memorie, che un vecchio notaio mi lasciò morendo insieme "
    "con le sue carte.\n\n"
    "Delle sue liti con i parenti non dirò nulla, e nemmeno delle sue malattie. Debbo "
    "invece scusarmi con il lettore se pubblico il manoscritto senza "
    "mutare altro che i nomi delle persone e dei paesi.\n\n"
    "Il notaio scriveva di notte, con una penna vecchia e una grafia minuta, e non rileggeva "
    "mai quello che aveva scritto."
)


def test_the_italian_preface_question_speaks_of_who_presents_the_pages() -> None:
    prompts = generate_prompts(PREFACE_IT, language="it", kind=TextKind.STORY).prompts
    framed = [p for p in prompts if p.template.endswith("central.interpretive.frame")]
    assert framed, [p.text for p in prompts]
    for prompt in framed:
        assert "chi presenta queste pagine" in prompt.text
        assert "l'autore apre il libro" not in prompt.text
