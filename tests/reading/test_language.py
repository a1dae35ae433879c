"""Which language a text is in: the detector reads a sample of a long text, and asks the
classifier it is handed."""

from __future__ import annotations

import py3langid

from bot.parsing import LANGUAGE_CLASSIFIER
from bot.reading.language import SAMPLE_CHARS, SAMPLE_SLICES, detect_language, detection_sample


def test_a_text_up_to_the_sample_size_is_read_whole(seed_normalised: str) -> None:
    text = (seed_normalised * 3)[:SAMPLE_CHARS]
    assert detection_sample(text) is text
    assert detection_sample(seed_normalised) is seed_normalised


def test_a_long_text_is_read_in_even_slices_from_start_to_end() -> None:
    text = "".join(f"{n:07d} " for n in range(50_000))  # 400,000 characters
    sample = detection_sample(text)
    slices = sample.split("\n")
    width = SAMPLE_CHARS // SAMPLE_SLICES
    step = len(text) // SAMPLE_SLICES
    assert len(slices) == SAMPLE_SLICES
    assert slices == [text[i * step : i * step + width] for i in range(SAMPLE_SLICES)]
    assert sample.startswith("0000000 ")
    assert len(sample) == SAMPLE_CHARS + SAMPLE_SLICES - 1


def test_a_long_book_is_detected_as_the_detector_reads_the_whole(seed_normalised: str) -> None:
    book = seed_normalised * 8  # about 300,000 characters
    assert len(book) > SAMPLE_CHARS
    assert detect_language(book, LANGUAGE_CLASSIFIER) == py3langid.classify(book)[0] == "en"


def test_a_long_book_with_foreign_front_matter_keeps_the_language_of_its_body(
    seed_normalised: str,
) -> None:
    front = "Ce livre est publié avec la permission de l'auteur et de ses héritiers. " * 20
    book = front + seed_normalised * 8
    assert detect_language(book, LANGUAGE_CLASSIFIER) == py3langid.classify(book)[0] == "en"


class _Refuses:
    def classify(self, text: str) -> tuple[str, float]:
        raise AssertionError("the classifier was asked about a text too short to tell")


def test_a_text_too_short_to_tell_is_not_classified() -> None:
    assert detect_language("Nous lisons ensemble. " * 8, _Refuses()) is None
