"""A story's quote that calls someone by a pronoun only ("… into her voice"), or in a language
that drops its subjects opens on a verb with none, keeps its words: the question names the
person, when the sentences just before it in its paragraph name exactly one."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.engine import names_in
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentences import parse_section
from bot.reading.prompts.subjects import german_names, leaves_someone_unnamed, named_before

ONE_NAME_EN = (
    "Mrs. Dunmore the schoolmistress was a thin, brisk woman with a sharp tongue, feared by "
    "the pupils and trusted by their parents. When a pupil read well, a sudden softness "
    "crept into her voice. She hid it well for the rest of the term.\n\n"
    "Mrs. Dunmore walked home along the canal. The evening was wet and the towpath was empty "
    "of all its usual horses."
)
TWO_NAMES_EN = (
    "Mrs. Dunmore met Mr. Pryce at the school gate, and the two stood talking for an hour. "
    "When a pupil read well, a sudden softness crept into her voice.\n\n"
    "Mrs. Dunmore and Mr. Pryce walked home along the canal. The towpath was empty of horses."
)
NAME_AFTER_EN = "When she was seven years old, Elsie learned to row across the bay alone."


def _subject(text: str, language: str, sentence_at: int) -> str | None:
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    names = (
        german_names(parsed.sentences, lexicon)
        if lexicon.capitalised_nouns
        else names_in(parsed.sentences, lexicon, lexicon.stopwords)
    )
    sentence = parsed.sentences[sentence_at]
    if not leaves_someone_unnamed(sentence.text, True, lexicon, names):
        return None
    return named_before(parsed, sentence, 0, lexicon, names)


def test_a_pronoun_is_resolved_to_the_one_name_before_it() -> None:
    assert _subject(ONE_NAME_EN, "en", 1) == "Mrs. Dunmore"


def test_the_question_names_the_person_and_keeps_the_quote_verbatim() -> None:
    prompts = generate_prompts(ONE_NAME_EN, language="en", kind=TextKind.STORY).prompts
    led = [p for p in prompts if p.quote and "her voice" in p.quote]
    assert led, [p.text for p in prompts]
    assert led[0].text.startswith("Of Mrs. Dunmore: “")
    assert led[0].quote is not None
    assert led[0].quote in ONE_NAME_EN
    assert f"“{led[0].quote}”" in led[0].text


def test_two_names_before_the_pronoun_leave_it_unresolved() -> None:
    assert _subject(TWO_NAMES_EN, "en", 1) is None
    prompts = generate_prompts(TWO_NAMES_EN, language="en", kind=TextKind.STORY).prompts
    assert not any(p.text.startswith("Of ") for p in prompts), [p.text for p in prompts]


def test_a_quote_that_names_its_person_after_the_pronoun_gets_no_lead() -> None:
    lexicon = lexicon_for("en")
    names = frozenset({"Elsie"})
    assert not leaves_someone_unnamed(NAME_AFTER_EN, True, lexicon, names)


def test_a_name_that_neither_recurs_nor_is_titled_is_no_subject() -> None:
    text = (
        "Across the square stood Ormond, a stranger to the town. "
        "Whenever the corn fetched a good price at the fair, he sang aloud."
    )
    assert _subject(text, "en", 1) is None


def test_who_speaks_the_quote_is_not_whom_it_is_about() -> None:
    text = (
        "Mr. Hallam leaned on the gate and looked down the lane. "
        "“He came by this morning with a cart of corn and left without a word,” said Mr. "
        "Hallam."
    )
    lexicon = lexicon_for("en")
    parsed = parse_section(text, lexicon)
    sentence = parsed.sentences[1]
    names = frozenset({"Hallam"})
    spoken = sentence.text[1 : sentence.text.index(",”")]
    assert leaves_someone_unnamed(spoken, False, lexicon, names)
    assert named_before(parsed, sentence, 1, lexicon, names) is None


def test_a_spanish_verb_with_no_subject_is_resolved_to_the_one_name_before_it() -> None:
    text = (
        "El boticario del pueblo se llamaba D. Anselmo y vivía detrás de la iglesia. Los "
        "vecinos lo tenían por sabio; pero D. Anselmo era un hombre distraído. Olvidaba cada "
        "mañana dónde había dejado las llaves de la botica."
    )
    assert _subject(text, "es", 2) == "D. Anselmo"


def test_a_spanish_sentence_with_its_own_subject_names_no_one() -> None:
    text = (
        "El boticario del pueblo se llamaba D. Anselmo y vivía detrás de la iglesia. Los "
        "vecinos lo tenían por sabio; pero D. Anselmo era un hombre distraído. La botica "
        "abría tarde casi todos los días."
    )
    assert _subject(text, "es", 2) is None


def test_an_italian_verb_with_no_subject_is_resolved_to_the_one_name_before_it() -> None:
    text = (
        "Il signor Ettore abitava in una casa grande sul lago. Tutti dicevano che il signor "
        "Ettore fosse ricco. Non sapeva però tenere i conti della casa."
    )
    assert _subject(text, "it", 2) == "signor Ettore"


def test_a_portuguese_verb_with_no_subject_is_resolved_to_the_one_name_before_it() -> None:
    text = (
        "O senhor Joaquim vivia numa quinta perto do rio. Toda a gente sabia que o senhor "
        "Joaquim era avarento. Guardava o dinheiro numa caixa debaixo da cama."
    )
    assert _subject(text, "pt", 2) == "senhor Joaquim"


def test_german_er_and_sie_are_resolved_to_the_one_name_before_them() -> None:
    he = (
        "Am Morgen stand Anselm früh auf und ging in Anselms Garten. Lange sah Anselm auf "
        "die Beete. Dann setzte er sich auf die Bank und schwieg."
    )
    she = (
        "Am Abend kam Grete aus der Stadt zurück und stellte Gretes Korb ab. Müde war Grete. "
        "Lange saß sie am Fenster und sah hinaus."
    )
    assert _subject(he, "de", 2) == "Anselm"
    assert _subject(she, "de", 2) == "Grete"


def test_a_german_noun_is_no_name() -> None:
    text = (
        "Das Zimmer war klein. Im Zimmer stand ein Tisch, und der Tisch war alt. "
        "Dann setzte er sich an den Tisch."
    )
    assert _subject(text, "de", 2) is None


def test_a_german_plural_without_an_article_is_no_name() -> None:
    text = (
        "Auf dem Markt redet man von Ideen. Alte Ideen gelten dort wenig. "
        "Das Wesentliche ist, dass sie heute niemand mehr braucht."
    )
    assert _subject(text, "de", 2) is None


def test_a_pronoun_running_on_from_further_back_is_not_the_name_between() -> None:
    text = (
        "Before dawn he slipped out of the barn while the farm slept and Mr. Hallam dozed by "
        "the stove. He crossed the yard without a sound. Further and further he walked, like a "
        "fox along the hedge.\n\nMr. Hallam woke at seven."
    )
    assert _subject(text, "en", 2) is None


def test_a_pronoun_in_a_sentence_naming_no_one_leaves_the_name_before_it_unsure() -> None:
    text = (
        "The farm was quiet, and from the kitchen came the slow breathing of Mr. Hallam. He "
        "slipped out of the barn with a sack over his shoulder. Further and further he walked, "
        "like a fox along the hedge.\n\nMr. Hallam woke at seven."
    )
    assert _subject(text, "en", 2) is None


def test_french_il_y_a_is_about_no_one() -> None:
    lexicon = lexicon_for("fr")
    assert not leaves_someone_unnamed(
        "Il y a trois jours de marche d'ici.", True, lexicon, frozenset()
    )
    assert leaves_someone_unnamed("Il marchait depuis trois jours.", True, lexicon, frozenset())
