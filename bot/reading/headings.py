"""Recognising chapter, part, act and scene headings in the forms printed books use.

English, Italian, Spanish, French, German and Portuguese: a keyword (Chapter, Capitolo,
Capítulo, Chapitre, Kapitel, Livro, Part, Act, Scene, Section, §…) with a Roman or Arabic
numeral or a number word, with or without a period, alone or followed by a title; a numeral
alone on its line; a numeral over a title line; a named section (Preface, Introduction,
Vorrede…); a dated letter ("22 de Marzo").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum

BOOK, PART, CHAPTER, SCENE = 1, 2, 3, 4

_KEYWORDS: dict[str, int] = {
    **dict.fromkeys(["book", "livre", "libro", "livro", "buch", "volume", "tome", "band"], BOOK),
    **dict.fromkeys(["part", "partie", "parte", "teil"], PART),
    **dict.fromkeys(
        [
            "chapter",
            "chap",
            "chapitre",
            "capitolo",
            "capítulo",
            "capitulo",
            "cap",
            "kapitel",
            "hauptstück",
            "hauptstueck",
            "stück",
            "act",
            "acte",
            "atto",
            "acto",
            "akt",
            "aufzug",
            "canto",
            "letter",
            "lettre",
            "lettera",
            "carta",
            "brief",
            "essay",
            "story",
            "tale",
            "conte",
            "racconto",
            "cuento",
            "novella",
            "lecture",
            "lesson",
        ],
        CHAPTER,
    ),
    **dict.fromkeys(
        [
            "scene",
            "scène",
            "scena",
            "escena",
            "cena",
            "szene",
            "auftritt",
            "section",
            "sezione",
            "sección",
            "seccion",
            "secção",
            "abschnitt",
            "paragraph",
            "§",
        ],
        SCENE,
    ),
}
_NAMED = {
    "preface",
    "foreword",
    "introduction",
    "prologue",
    "epilogue",
    "afterword",
    "conclusion",
    "préface",
    "avant-propos",
    "épilogue",
    "prefazione",
    "introduzione",
    "prologo",
    "epilogo",
    "conclusione",
    "premessa",
    "prefacio",
    "prólogo",
    "introducción",
    "epílogo",
    "conclusión",
    "advertencia",
    "prefácio",
    "introdução",
    "conclusão",
    "advertência",
    "vorrede",
    "vorwort",
    "einleitung",
    "nachwort",
    "schluss",
    "epilog",
    "prolog",
}
_NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "last",
    "final",
    "un",
    "une",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "premier",
    "première",
    "second",
    "seconde",
    "deuxième",
    "troisième",
    "quatrième",
    "cinquième",
    "sixième",
    "septième",
    "huitième",
    "neuvième",
    "dixième",
    "dernier",
    "dernière",
    "unique",
    "uno",
    "due",
    "tre",
    "quattro",
    "cinque",
    "sei",
    "sette",
    "otto",
    "nove",
    "dieci",
    "primo",
    "prima",
    "secondo",
    "seconda",
    "terzo",
    "terza",
    "quarto",
    "quarta",
    "quinto",
    "quinta",
    "sesto",
    "sesta",
    "settimo",
    "settima",
    "ottavo",
    "ottava",
    "nono",
    "nona",
    "decimo",
    "decima",
    "undicesimo",
    "undicesima",
    "dodicesimo",
    "dodicesima",
    "tredicesima",
    "quattordicesima",
    "quindicesima",
    "sedicesima",
    "diciassettesima",
    "diciottesima",
    "diciannovesima",
    "ventesima",
    "ventunesima",
    "ventiduesima",
    "ventitreesima",
    "ventiquattresima",
    "venticinquesima",
    "ultimo",
    "ultima",
    "dos",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "primero",
    "primera",
    "segundo",
    "segunda",
    "tercero",
    "tercera",
    "cuarto",
    "cuarta",
    "quinto",
    "sexto",
    "sexta",
    "séptimo",
    "séptima",
    "octavo",
    "octava",
    "noveno",
    "novena",
    "décimo",
    "décima",
    "único",
    "última",
    "um",
    "uma",
    "dois",
    "três",
    "quatro",
    "cinco",
    "seis",
    "sete",
    "oito",
    "nove",
    "dez",
    "primeiro",
    "primeira",
    "terceiro",
    "terceira",
    "sétimo",
    "oitavo",
    "décimo",
    "eins",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "erstes",
    "erster",
    "erste",
    "zweites",
    "zweiter",
    "zweite",
    "drittes",
    "dritter",
    "dritte",
    "viertes",
    "vierter",
    "vierte",
    "fünftes",
    "fünfter",
    "fünfte",
    "sechstes",
    "sechster",
    "sechste",
    "siebentes",
    "siebentes",
    "siebtes",
    "siebter",
    "achtes",
    "achter",
    "neuntes",
    "neunter",
    "zehntes",
    "zehnter",
    "letztes",
    "letzter",
]
_ROMAN = r"[IVXLCDM]{1,8}|[ivxlcdm]{1,8}"
_NUMERAL = rf"(?:{_ROMAN}|\d{{1,4}}|{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})"
_KEYWORD = "|".join(sorted((re.escape(k) for k in _KEYWORDS), key=len, reverse=True))
# "Chapter IV", "CHAPITRE PREMIER", "Capítulo primero. Que trata de…", "Atto primo", "§ 12"
_KEYWORD_HEADING = re.compile(
    rf"^(?P<label>(?P<kw>{_KEYWORD})\.?\s*(?P<num>{_NUMERAL})?)\b\.?"
    rf"(?:\s*(?:[.:—–-]|\s)\s*(?P<title>\S.*))?$",
    re.IGNORECASE,
)
# "Erstes Hauptstück: Von den…", "Primera parte", "Second Book"
_ORDINAL_HEADING = re.compile(
    rf"^(?P<label>(?P<num>{_NUMERAL})\s+(?P<kw>{_KEYWORD}))\b\.?"
    rf"(?:\s*[.:—–-]?\s*(?P<title>\S.*))?$",
    re.IGNORECASE,
)
# "IV", "IV.", "12.", "I. Perdido", "III — The Storm"
_NUMERAL_HEADING = re.compile(
    rf"^(?P<num>{_ROMAN}|\d{{1,3}})(?P<dot>[.:]?)(?:\s*[.—–-]?\s+(?P<title>\S.*))?$"
)
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
    "enero",
    "febrero",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "janeiro",
    "fevereiro",
    "março",
    "maio",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "oktober",
    "dezember",
]
_DATE_HEADING = re.compile(
    rf"^(?:\d{{1,2}}(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+|of\s+)?(?:{'|'.join(_MONTHS)})"
    rf"|(?:{'|'.join(_MONTHS)})\s+\d{{1,2}}(?:st|nd|rd|th)?)\b[\w ,.]{{0,20}}$",
    re.IGNORECASE,
)
_CHAPTER_WORD = {
    "en": "Chapter", "fr": "Chapitre", "it": "Capitolo", "es": "Capítulo", "pt": "Capítulo",
    "de": "Kapitel",
}  # fmt: skip
MAX_TITLE_WORDS = 40
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


class HeadingStyle(StrEnum):
    """How a heading is printed: the pattern that recognised it, or why a line that no
    pattern knows is a heading all the same."""

    KEYWORD = "kw"  # a keyword with a number or title: "Chapter 3", "Erster Teil"
    NUMERAL = "num"  # a numeral alone or before a title: "IV.", "III. The Storm"
    NAMED = "named"  # a part named by itself: "Preface", "Vorrede"
    DATE = "date"  # a date over a diary entry or a letter: "22 de Marzo"
    MD = "md"  # a Markdown heading no pattern recognised
    PLAIN = "plain"  # a short capitalised line standing alone
    SUBTITLE = "subtitle"  # a heading's title on its own line after a blank line


@dataclass(frozen=True)
class Heading:
    """A recognised heading: its rank (BOOK…SCENE, None when only the document can tell),
    the style it is printed in, and its parts."""

    style: HeadingStyle
    rank: int | None
    label: str  # "Chapitre premier", "IV", "Vorrede", "22 de Marzo"
    number: str | None = None
    subtitle: str | None = None
    # The keyword ("chapter"), or how a numeral is printed ("roman.", "arabic+title"):
    # numerals printed alike head parts of one level, whose numbers may start again.
    form: str = ""

    @property
    def printed(self) -> str:
        """The style with its form ("num:roman."): headings printed alike have the same."""
        return f"{self.style}:{self.form}" if self.form else self.style


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral, else None ("MIX" is 1009; "IIII" is None)."""
    values = [_ROMAN_VALUES.get(ch) for ch in numeral.lower()]
    if not values or None in values:
        return None
    total = 0
    for i, value in enumerate(values):
        assert value is not None
        following = values[i + 1] if i + 1 < len(values) else 0
        assert following is not None
        total += -value if value < following else value
    return total if _to_roman(total) == numeral.upper() else None


def _to_roman(value: int) -> str:
    out = ""
    for number, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
        (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while value >= number:
            out += letters
            value -= number
    return out


_VALUES_BY_LANGUAGE = [
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty",
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth",
    "un deux trois quatre cinq six sept huit neuf dix onze douze",
    "premier deuxième troisième quatrième cinquième sixième septième huitième neuvième dixième",
    "uno due tre quattro cinque sei sette otto nove dieci",
    "primo secondo terzo quarto quinto sesto settimo ottavo nono decimo undicesimo dodicesimo",
    "prima seconda terza quarta quinta sesta settima ottava nona decima undicesima "
    "dodicesima tredicesima quattordicesima quindicesima sedicesima diciassettesima "
    "diciottesima diciannovesima ventesima ventunesima ventiduesima ventitreesima "
    "ventiquattresima venticinquesima",
    "uno dos tres cuatro cinco seis siete ocho nueve diez",
    "primero segundo tercero cuarto quinto sexto séptimo octavo noveno décimo",
    "primera segunda tercera cuarta quinta sexta séptima octava novena décima",
    "um dois três quatro cinco seis sete oito nove dez",
    "primeiro segundo terceiro quarto quinto sexto sétimo oitavo nono décimo",
    "eins zwei drei vier fünf sechs sieben acht neun zehn",
    "erstes zweites drittes viertes fünftes sechstes siebentes achtes neuntes zehntes",
    "erster zweiter dritter vierter fünfter sechster siebter achter neunter zehnter",
]
_NUMBER_VALUES = {
    word: value for words in _VALUES_BY_LANGUAGE for value, word in enumerate(words.split(), 1)
} | {"première": 1, "une": 1, "seconde": 2, "erste": 1, "zweite": 2, "dritte": 3, "uma": 1}


def number_value(number: str) -> int | None:
    """The value of a numeral or number word ("XIV", "12", "undicesima"), else None."""
    if number.isdigit():
        return int(number)
    return _NUMBER_VALUES.get(number.lower()) or roman_value(number)


def _numeral_ok(number: str | None) -> bool:
    if number is None or number.isdigit() or number.lower() in _NUMBER_WORDS:
        return True
    return roman_value(number) is not None


def _title_ok(title: str | None, *, loose: bool) -> bool:
    """A title after a numeral: short, and not the start of a sentence of prose."""
    if title is None:
        return True
    words = title.split()
    if len(words) > (MAX_TITLE_WORDS if loose else 12):
        return False
    if not loose and title.rstrip("\"'”’»)")[-1:] in ",;:!?.":
        return False
    return title[0].isupper() or title[0].isdigit() or not title[0].isalpha()


def _all_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def sentence_case(text: str) -> str:
    """An ALL-CAPS label in sentence case ("CHAPITRE PREMIER" → "Chapitre premier"), its
    Roman numerals kept, and a keyword whose accent capitals dropped given it back
    ("CAPITULO I" → "Capítulo I"); others as printed."""
    if not _all_caps(text):
        return text
    words = [w if roman_value(w.strip(".,:;")) else w.lower() for w in text.split(" ")]
    words = [_ACCENTED.get(w, w) for w in words]
    out = " ".join(words)
    return out[:1].upper() + out[1:]


# Keywords printers drop the accent of in capitals; in lower case they always carry it.
_ACCENTED = {"capitulo": "capítulo", "seccion": "sección", "seccao": "secção"}
# Words a title in title case leaves in lower case, in the languages headings are known in.
_MINOR_BY_LANGUAGE = [
    "a an the and or nor but of in on at to for by with from as into",
    "le la les l d de des du un une et ou à au aux en dans sur par pour sans sous qu",
    "il lo gli di del dello della dei degli delle da dal dalla e ed o al alla ai agli alle "
    "nel nella con per su tra fra uno dell all nell sull",
    "el los las y del con por para unos unas",
    "os as do da dos das em no na nos nas um uma ao à pelo pela",
    "der die das den dem des und oder von vom zu zum zur im am an auf aus mit ein eine einer eines",
]
_MINOR_WORDS = frozenset(word for words in _MINOR_BY_LANGUAGE for word in words.split())
_APOSTROPHES = "'’"


def _title_word(word: str, first: bool) -> str:
    """One word of an ALL-CAPS title in title case: "D'ORVILLE" → "d'Orville"."""
    lower = word.lower()
    bare = lower.strip('.,:;!?()«»"')
    if bare in _MINOR_WORDS and not first:
        return lower
    if roman_value(bare.strip("'’")):
        return word
    for mark in _APOSTROPHES:
        if mark in lower:
            head, _, tail = lower.partition(mark)
            head = head if head in _MINOR_WORDS and not first else _capitalised(head)
            return f"{head}{mark}{_title_word(tail.upper(), False)}" if tail else head + mark
    return "-".join(_capitalised(part) for part in lower.split("-"))


def _capitalised(word: str) -> str:
    for i, ch in enumerate(word):
        if ch.isalpha():
            return word[:i] + ch.upper() + word[i + 1 :]
    return word


def title_case(text: str) -> str:
    """An ALL-CAPS title in title case, its accents, initials ("M.") and names
    ("d'Orville") kept: "LES DEUX VOYAGES DE M. D'ORVILLE PÈRE" → "Les Deux Voyages de M.
    d'Orville Père". A title not printed in capitals is returned as printed."""
    if not _all_caps(text):
        return text
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        lines.append(" ".join(_title_word(w, i == 0) for i, w in enumerate(words)))
    return "\n".join(lines)


class _Verdict(Enum):
    """A pattern that matched a line and found it is no heading: the next ones are not tried."""

    NOT_A_HEADING = "not a heading"


NOT_A_HEADING = _Verdict.NOT_A_HEADING
# Each returns the heading, NOT_A_HEADING, or None when its pattern does not decide.
_Look = Callable[[str], "Heading | _Verdict | None"]


def recognise(line: str) -> Heading | None:
    """The heading a single line is, or None. `line` has its spaces already normalised."""
    line = line.strip().strip("*_").strip().rstrip(":").rstrip()
    if not line or len(line) > 250:
        return None
    for look in _LOOKS:
        found = look(line)
        if found is NOT_A_HEADING:
            return None
        if found is not None:
            return found
    return None


def _titled(title: str | None) -> str | None:
    return title_case(title.strip().rstrip(".")) if title else None


def _keyword_heading(line: str) -> Heading | _Verdict | None:
    """A keyword with a number, a title or both: "Chapter 3", "Book II: The Return", "§ 4"."""
    match = _KEYWORD_HEADING.match(line)
    if not match:
        return None
    kw = match["kw"].lower()
    title = match["title"]
    if not (
        (match["num"] or kw == "§" or title is None)
        and _numeral_ok(match["num"])
        and (match["num"] or kw in {"prologue", "epilogue"} or title is None)
        and _title_ok(title, loose=True)
        and (match["num"] or title is None)
    ):
        return None
    if match["num"] is None and title is None and kw not in {"§"}:
        # A keyword alone ("Chapter") is a heading only as a named part of a book.
        return NOT_A_HEADING
    return Heading(
        HeadingStyle.KEYWORD,
        _KEYWORDS[kw],
        sentence_case(match["label"].strip()),
        match["num"],
        _titled(title),
        form=kw,
    )


def _ordinal_heading(line: str) -> Heading | _Verdict | None:
    """A number before the keyword: "First Part", "Premier chapitre", "Erster Teil"."""
    match = _ORDINAL_HEADING.match(line)
    if not (
        match
        and (match["num"].lower() in _NUMBER_WORDS or match["num"].isdigit())
        and _title_ok(match["title"], loose=True)
    ):
        return None
    kw = match["kw"].lower()
    return Heading(
        HeadingStyle.KEYWORD,
        _KEYWORDS[kw],
        sentence_case(match["label"].strip()),
        match["num"],
        _titled(match["title"]),
        form=kw,
    )


def _numeral_heading(line: str) -> Heading | _Verdict | None:
    """A numeral alone or before a title: "IV.", "12", "III. The Storm"."""
    match = _NUMERAL_HEADING.match(line)
    if not match:
        return None
    number, title = match["num"], match["title"]
    if not (_numeral_ok(number) and _title_ok(title, loose=False)):
        return None
    # "I Perdido" without a period is too easily the pronoun I starting a line.
    if (
        title is not None
        and not match["dot"]
        and not number.isdigit()
        and (number == "I" or title.split()[0].islower() or len(title.split()[0]) < 2)
    ):
        return NOT_A_HEADING
    kind = "roman" if not number.isdigit() else "arabic"
    form = f"{kind}{match['dot'] or ''}{'+title' if title else ''}"
    return Heading(HeadingStyle.NUMERAL, None, number, number, _titled(title), form=form)


def _named_or_dated_heading(line: str) -> Heading | _Verdict | None:
    """A part named by itself ("Preface", "Introduction"), or a date heading a diary entry."""
    bare = line.rstrip(".:").strip()
    if bare.lower() in _NAMED:
        return Heading(HeadingStyle.NAMED, CHAPTER, sentence_case(bare))
    if _DATE_HEADING.match(line) and len(line.split()) <= 6:
        return Heading(HeadingStyle.DATE, SCENE, line.rstrip("."))
    return None


_LOOKS: tuple[_Look, ...] = (
    _keyword_heading,
    _ordinal_heading,
    _numeral_heading,
    _named_or_dated_heading,
)


def chapter_word(language: str) -> str:
    """The word for "Chapter" in the reading's language (English when not known)."""
    return _CHAPTER_WORD.get(language.split("-")[0].lower(), "Chapter")
