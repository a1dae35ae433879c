"""Who a sentence speaks of in the first person: the speaker or writer himself ("I", "me",
SELF), or only what is his ("my sister", PERSONAL alone). Pronouns bound to another word count
too: French and Italian elide them before an apostrophe ("j'habite", "m'hanno"), Portuguese
joins them with a hyphen ("chamam-me")."""

from __future__ import annotations

import pytest

from bot.reading.prompts.sentence_kinds import PERSONAL, SELF
from tests.reading.prompts.first_sentence import first_sentence_features


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Ich wohne seit dem Winter am alten Kanal hinter der Mühle."),
        ("en", "I have lived by the old canal behind the mill since the winter."),
        ("es", "Yo vivo desde el invierno junto al canal viejo detrás del molino."),
        ("fr", "J'habite depuis l'hiver au bord du vieux canal derrière le moulin."),
        ("fr", "On m'appelle la batelière depuis l'hiver, au bord du vieux canal."),
        ("it", "M'hanno lasciato solo sul molo del vecchio canale dietro il mulino."),
        ("pt", "Chamam-me a barqueira desde o inverno, junto ao velho canal do moinho."),
    ],
)
def test_a_sentence_naming_the_speaker_himself_tells_of_himself(language: str, text: str) -> None:
    features = first_sentence_features(text, language)
    assert SELF in features
    assert PERSONAL in features


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Das Haus meines Bruders steht seit dem Winter am alten Kanal."),
        ("en", "My sister has lived by the old canal behind the mill since the winter."),
        ("es", "La casa del canal viejo es mía desde el invierno pasado."),
        ("fr", "La maison du vieux canal est la mienne depuis l'hiver dernier."),
        ("it", "Mia sorella abita sul vecchio canale dietro il mulino da quest'inverno."),
        ("pt", "Minha irmã mora junto ao velho canal do moinho desde o inverno."),
    ],
)
def test_a_sentence_naming_only_what_is_the_speaker_s_is_personal_not_of_himself(
    language: str, text: str
) -> None:
    features = first_sentence_features(text, language)
    assert SELF not in features
    assert PERSONAL in features


def test_a_name_written_with_an_initial_is_no_elided_pronoun() -> None:
    # "M. Roux": Monsieur, not "m'" for "me".
    features = first_sentence_features(
        "M. Roux habite depuis l'hiver au bord du vieux canal.", "fr"
    )
    assert PERSONAL not in features
