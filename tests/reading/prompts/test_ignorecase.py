"""Our copy of the letters re.IGNORECASE takes for one another is the engine's own."""

from __future__ import annotations

import re
import sys

# CPython's own table, read here only to check our copy.
from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]  # private: no stub

from bot.reading.prompts.ignorecase import EXTRA_CASES


def test_the_table_is_the_one_of_the_python_the_tests_run_on() -> None:
    assert dict(EXTRA_CASES) == _EXTRA_CASES, sys.version


def test_every_letter_listed_matches_its_others_ignoring_case_and_only_them() -> None:
    for lower, others in EXTRA_CASES.items():
        for other in others:
            assert re.fullmatch(re.escape(chr(lower)), chr(other), re.IGNORECASE)
            assert not re.fullmatch(re.escape(chr(lower)), chr(other))
