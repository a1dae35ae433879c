"""The rules (bot/reading, bot/voting, bot/scheduling) stay pure: they touch no environment,
files, threads or process-wide switches, keep no state behind `global`, and import nothing
from the layers above them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).parents[1] / "bot"
PURE = ("reading", "voting", "scheduling")
# What only the layers above may use: the process's state, and the modules that hold it.
IMPURE_MODULES = {"gc", "os", "shutil", "tempfile", "threading", "discord", "sqlalchemy"}
UPPER_LAYERS = (
    "bot.db",
    "bot.services",
    "bot.exts",
    "bot.drafting",
    "bot.parsing",
    "bot.language_cache",
    "bot.gc_pause",
    "bot.settings",
)


def _modules() -> list[Path]:
    return sorted(path for layer in PURE for path in (BOT / layer).rglob("*.py"))


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)  # bot.db
    return names


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(BOT)))
def test_a_rules_module_imports_no_process_state_and_no_upper_layer(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = _imports(tree)
    assert not {name.split(".")[0] for name in imported} & IMPURE_MODULES
    assert not [n for n in imported if n.startswith(UPPER_LAYERS)]
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Global)]


def test_the_rules_layers_are_found() -> None:
    modules = {str(p.relative_to(BOT)) for p in _modules()}
    assert {"reading/importer.py", "reading/language.py", "voting/__init__.py"} <= modules
