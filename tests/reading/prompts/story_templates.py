"""Which question templates a story's sentence with given features fits, for the tests of what
a story's sentence may be asked."""

from __future__ import annotations

from bot.reading.prompts.question_templates import templates_for


def story_templates_fitting(language: str, move: str, kind: str, features: set[str]) -> list[str]:
    """The ids, language left off ("central.factual.story.lead"), of the templates of `move`
    and `kind` that a story's sentence with `features` fits, every slot filled."""
    templates = templates_for(language)
    assert templates is not None
    slots = {"quote": "q", "speaker": "S", "person": "P"}
    return [
        t.id.split(".", 1)[1]
        for t in templates.templates
        if t.move == move and t.kind == kind and t.fits(frozenset(features | {"story"}), slots)
    ]
