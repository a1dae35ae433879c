from __future__ import annotations

import pytest

from bot.reading.text import decode, normalise
from bot.seeds import default_seed


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The bundled reading as uploaded (decoded, not yet normalised)."""
    return decode(default_seed().read_bytes())


@pytest.fixture(scope="session")
def seed_normalised(seed_text: str) -> str:
    return normalise(seed_text)
