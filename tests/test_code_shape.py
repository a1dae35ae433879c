"""The code stays one a newcomer can follow: no function outside the reading rules branches
more than 20 ways (radon's cyclomatic complexity), none anywhere more than 30, and vulture
finds no dead code at 80% confidence or more."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit
from vulture import Vulture

BOT = Path(__file__).parents[1] / "bot"
# The reading rules hold the many cases books come in; elsewhere a branchy function is one
# that should be two.
RULES = BOT / "reading"
MOST = 20
MOST_IN_RULES = 30


def _complexities() -> list[tuple[Path, str, int]]:
    found = []
    for path in sorted(BOT.rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            found.append((path, block.fullname, block.complexity))
    return found


def test_no_function_is_too_branchy_to_follow() -> None:
    too_complex = [
        f"{path.relative_to(BOT.parent)}: {name} ({complexity})"
        for path, name, complexity in _complexities()
        if complexity > (MOST_IN_RULES if path.is_relative_to(RULES) else MOST)
    ]
    assert too_complex == []


def test_the_complexity_check_sees_every_function() -> None:
    names = {name for _path, name, _complexity in _complexities()}
    assert "Scheduler._dispatch_forever" in names
    assert "explain" in names
    assert len(names) > 1000


def test_vulture_finds_no_dead_code() -> None:
    scanner = Vulture()
    scanner.scavenge([str(BOT)])
    dead = [item.get_report(add_size=False) for item in scanner.get_unused_code(min_confidence=80)]
    assert dead == []
