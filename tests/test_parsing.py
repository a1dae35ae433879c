"""The bot's parse: the language model is loaded once a process, on the first text whose
language is detected, and never by a start or by readings that name their language."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from bot.parsing import LoadedOnFirstUse
from bot.reading import importer

ROOT = Path(__file__).parents[1]


class _Identifier:
    def classify(self, text: str) -> tuple[str, float]:
        return "fr", 0.9


def test_the_model_is_loaded_once_however_many_parses_ask_at_once() -> None:
    loads: list[float] = []

    def slow_load() -> _Identifier:
        loads.append(time.monotonic())
        time.sleep(0.05)  # long enough for every thread to be waiting on the first load
        return _Identifier()

    classifier = LoadedOnFirstUse(slow_load)
    answers: list[tuple[str, float]] = []
    threads = [
        threading.Thread(target=lambda: answers.append(classifier.classify("Nous lisons.")))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(loads) == 1
    assert answers == [("fr", 0.9)] * 4


def test_a_reading_that_names_its_language_does_not_load_the_model() -> None:
    def refuse() -> _Identifier:
        raise AssertionError("the model was loaded for a reading that names its language")

    reading = importer.parse_reading(
        b"Le livre\n\nNous lisons ensemble et nous parlons du livre.",
        "livre.txt",
        language_classifier=LoadedOnFirstUse(refuse),
        language="fr",
        detect_given_language=False,
    )
    assert reading.language == "fr"


def test_a_process_loads_the_model_at_its_first_detection_not_at_start() -> None:
    script = """
import sys
from bot.drafting import parse_on_every_core
from bot.services.readings import parsed_seeds
parsed_seeds()  # the bundled readings name their language
print("py3langid" in sys.modules, "bot.language_cache" in sys.modules)
import bot.language_cache as cache
loads = []
load = cache.cached_identifier
cache.cached_identifier = lambda: loads.append(1) or load()
text = "Le livre\\n\\n" + " ".join(["Nous lisons ensemble et nous parlons du livre."] * 40)
for _ in range(2):
    print(parse_on_every_core(text.encode(), "livre.txt", with_prompts=False).language)
print(len(loads))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["False False", "fr", "fr", "1"]
