"""The one-scan abbreviation pass protects exactly the full stops pysbd's own pass protects."""

from __future__ import annotations

import random
import re
import sys

import pysbd
import pytest
from pysbd.lang.common import Common
from pysbd.languages import Language

from bot.reading.prompts.abbreviations import fold, with_one_scan
from bot.reading.prompts.lexicon import lexicon_for

LANGUAGES = ["en", "it", "es", "fr", "de", "pt"]
SEGMENTERS = sorted({lexicon_for(code).segmenter for code in LANGUAGES})

TRICKY = {
    "en": [
        "Mr. Smith met Dr. Jones at 3.5 p.m. on St. James St. and left.",
        "MR. SMITH and mr. smith. Prof. J. R. Whitcombe wrote it, e.g. here, i.e. there.",
        "See fig. 3 and no. 12, pp. (4) and vol. 2. It ended... Then it began. U.S. Army.",
        "He said {mr} Smith and {mr} Jones. Mr. Brown came. Then {mr} Green left.",
        "Gen. Lee, Capt. Hook; Sgt. Pepper: Inc. Ltd. Co. — and so on etc. The end.",
    ],
    "it": [
        "Il sig. Rossi e la sig.ra Bianchi, con il dott. Verdi e il prof. Neri. Poi, ecc. Fine.",
        "Vedi p. es. il cap. 3 e l'art. 5 del cod. civ. e il D. Lgs. 12. Basta.",
        "La S.p.A. e la s.r.l. del Sig. Mario; circa 3.5 km. Ed ecco... Tutto.",
    ],
    "es": [
        "El Sr. D. Juan y la Sra. Dña. María viven en la Avda. de la Paz, núm. 3. Bien.",
        "Vea p. ej. la pág. 12 y el cap. 3.5 de EE. UU. Luego... Sí. El Lic. Pérez.",
        "Los Sres. García, etc. llegaron. Dr. López, Ud. y Uds. también. Fin.",
    ],
    "fr": [
        "M. Girard et Mme Dupont, avec Mlle Martin. Voir p. ex. le chap. 3, etc. Fin.",
        "C.-à-d. la fig. 2 et le vol. 3.5 du t. II. Puis... Enfin. Cf. la p. 12.",
        "M. et Mme. Durand, env. 3 km, art. 5 ; ibid. Ensuite, N.B. rien.",
    ],
    "de": [
        "Ca. 5 Leute kamen, z. B. Hr. Müller und Fr. Schmidt, bzw. Dr. Weber. Ende.",
        "Das ist usw. bekannt, d. h. Nr. 5 und Art. 12 GG. Prof. Dr. Braun kam. Gut.",
        "Art. 3 gilt. Die Mafia. Sie kam z.B. am 3. März. O.ä. Dinge... Schluss.",
        "Ca. 3 Leute. Die Formica. Sie lachte. Ca. Ende.",
    ],
}
TRICKY["pt"] = [
    "O Sr. Silva e a Sra. D. Maria, com o Dr. Costa. Veja p. ex. o cap. 3. Fim.",
    "A pág. 3.5 do vol. II, etc. Depois... Sim. O Prof. J. Antunes chegou.",
]


def replacers(code: str) -> tuple[type[Common], type[Common]]:
    stock = Language.get_language_code(code)
    return stock, with_one_scan(stock)


def protected(language: type[Common], text: str) -> str:
    marked: str = language.AbbreviationReplacer(text, language).replace()
    return marked


@pytest.mark.parametrize("code", LANGUAGES)
def test_tricky_abbreviations_are_protected_as_pysbd_protects_them(code: str) -> None:
    stock, one_scan = replacers(lexicon_for(code).segmenter)
    for text in TRICKY[code]:
        assert protected(one_scan, text) == protected(stock, text), text


def test_the_pass_protects_titles_initials_and_short_forms() -> None:
    _, one_scan = replacers("en")
    marked = protected(one_scan, "Mr. Smith met Dr. Jones, e.g. at 3.5 p.m. on St. James St. and")
    assert "Mr∯ Smith" in marked
    assert "Dr∯ Jones" in marked
    assert "St∯ James" in marked
    assert "3.5" in marked  # a number's point is another pass's business
    _, french = replacers("fr")
    assert protected(french, "Voir p. ex. le chap. 3") == "Voir p. ex∯ le chap∯ 3"
    assert "M∯ Girard" in protected(french, "M. Girard vient.")


def test_an_abbreviation_opening_a_german_line_protects_those_letters_anywhere() -> None:
    # pysbd's German pattern keeps the match's start: "Ca" at the start of the line makes
    # every "Ca." before a space a protected stop, at the end of "Formica" too.
    stock, one_scan = replacers("de")
    text = "Ca. 3 Leute. Die FormiCa. Sie lachte."
    assert protected(one_scan, text) == protected(stock, text)
    assert "FormiCa∯ Sie" in protected(one_scan, text)


def test_a_braced_abbreviation_followed_by_a_capital_vetoes_as_in_pysbd() -> None:
    stock, one_scan = replacers("en")
    for text in [
        "{mr} Smith said mr. jones left.",
        "{mr} smith said mr. jones left.",
        "x {mr} Smith {mr} Jones mr. brown mr. green.",
        "mr. a {mr} B",
    ]:
        assert protected(one_scan, text) == protected(stock, text), text


def test_sentences_split_the_same_as_with_pysbds_own_pass() -> None:
    for code in SEGMENTERS:
        stock = pysbd.Segmenter(language=code, clean=False)
        one_scan = pysbd.Segmenter(language=code, clean=False)
        one_scan.language_module = with_one_scan(one_scan.language_module)
        for texts in TRICKY.values():
            for text in texts:
                assert one_scan.segment(text) == stock.segment(text), (code, text)


WORDS = (
    "Mr mr MR Dr St ſt p ex p.ex e.g i.e z B z.B ca Ca Art art no No nos fig vol Sr Sra D M "
    "Girard etc U.S cf pp a I i 3 5 12 {mr} {dr} {ca} {p} (a) Smith Müller the der la s.a "
    "c.-à-d ecc sig dott prof Bd bzw usw d.h hr Hr vs al µg μg ıd id İd"
)
PIECES = [*WORDS.split(), "bs. as", "n. del t"]
PUNCTUATION = [".", ".", ".", ". ", "", ":", ",", "?", "!", "...", ".)", ". (", ".:3", ".-"]
SPACES = [" ", " ", " ", "  ", "\t", "\r", "\n", ""]


@pytest.mark.parametrize("code", [*SEGMENTERS, "nl", "pl"])
def test_random_lines_of_abbreviations_are_protected_as_pysbd_protects_them(code: str) -> None:
    stock, one_scan = replacers(code)
    rng = random.Random(f"abbreviations {code}")
    for _ in range(400):
        text = "".join(
            rng.choice(PIECES) + rng.choice(PUNCTUATION) + rng.choice(SPACES)
            for _ in range(rng.randint(1, 30))
        )
        assert protected(one_scan, text) == protected(stock, text), text


def test_fold_matches_what_ignorecase_takes_for_the_same_letter() -> None:
    letters = {
        c
        for code in SEGMENTERS
        for entry in Language.get_language_code(code).Abbreviation.ABBREVIATIONS
        for c in entry
    }
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    by_fold: dict[str, set[str]] = {}
    wanted = {fold(c) for c in letters}
    for c in everything:
        key = fold(c)
        if key in wanted:
            by_fold.setdefault(key, set()).add(c)
    for letter in letters:
        matched = set(re.findall(re.escape(letter), everything, flags=re.IGNORECASE))
        assert matched == by_fold[fold(letter)], letter


def test_a_language_whose_replacer_changes_other_steps_keeps_pysbds() -> None:
    russian = Language.get_language_code("ru")
    assert with_one_scan(russian) is russian
