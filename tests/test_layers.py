"""The layers hold. The rules (bot/reading, bot/voting, bot/scheduling) stay pure: they touch
no environment, files, threads, randomness or process-wide switches, keep no state behind
`global`, and import nothing from the layers above them. The services and the database know
nothing of Discord or of the cogs; a feature's cog is its own; and no module reaches into
another's underscore-private names."""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).parents[1]
BOT = REPOSITORY / "bot"
PURE = ("reading", "voting", "scheduling")
# What only the layers above may use: the process's state, the modules that hold it, and
# randomness (a seed the rules need is drawn above and handed in).
IMPURE_MODULES = {
    "gc",
    "os",
    "shutil",
    "tempfile",
    "threading",
    "discord",
    "sqlalchemy",
    "random",
    "secrets",
}
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


@functools.cache
def _parsed(path: Path) -> ast.Module:
    """A module's syntax tree, parsed once for all the checks of this file."""
    return ast.parse(path.read_text(encoding="utf-8"))


def _modules() -> list[Path]:
    return sorted(path for layer in PURE for path in (BOT / layer).rglob("*.py"))


def _imports(tree: ast.AST, package: str = "") -> set[str]:
    """The modules `tree` imports, and each name it takes from one (`bot.db` of `from bot
    import db`); a relative import is read from `package`, the importing module's package."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (module := _absolute(node, package)):
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)  # bot.db
    return names


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The module `node` imports from, `from ..votes import cog` in `bot.exts.meetings` read as
    `bot.exts.votes`; empty for a relative import with no package to read it from."""
    if node.level == 0:
        return node.module or ""
    parts = package.split(".") if package else []
    if node.level > len(parts):
        return ""
    base = parts[: len(parts) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _package(path: Path) -> str:
    """The dotted package of the module at `path` (`bot.exts.votes` for its `cog.py`)."""
    return ".".join(path.relative_to(REPOSITORY).parent.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(BOT)))
def test_a_rules_module_imports_no_process_state_and_no_upper_layer(path: Path) -> None:
    tree = _parsed(path)
    imported = _imports(tree, _package(path))
    assert not {name.split(".")[0] for name in imported} & IMPURE_MODULES
    assert not [n for n in imported if n.startswith(UPPER_LAYERS)]
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Global)]


# What the rules may import besides the standard library and each other (CONTRIBUTING.md's
# layer table names them): pure libraries the text rules are built on, holding no process state.
RULES_LIBRARIES = {
    "charset_normalizer",
    "ebooklib",
    "lxml",
    "numpy",
    "py3langid",
    "pypdf",
    "pysbd",
    "snowballstemmer",
    "stopwordsiso",
}


def test_the_rules_import_the_standard_library_and_only_the_libraries_named() -> None:
    imported = {
        name.split(".")[0]
        for path in _modules()
        for name in _imports(_parsed(path), _package(path))
    }
    outside = imported - set(sys.stdlib_module_names) - {"bot", "__future__"}
    assert outside == RULES_LIBRARIES


def test_the_only_private_module_of_the_standard_library_the_rules_read_is_res_parser() -> None:
    private = {
        name
        for path in _modules()
        for name in _imports(_parsed(path), _package(path))
        if name.split(".")[0] in sys.stdlib_module_names - {"__future__"} and "._" in f".{name}"
    }
    # `lexicon.py` reads a cue pattern's parts; nothing public gives them.
    assert private == {"re._parser", "re._constants"}


def test_the_rules_layers_are_found() -> None:
    modules = {str(p.relative_to(BOT)) for p in _modules()}
    assert {"reading/importer.py", "reading/language.py", "voting/__init__.py"} <= modules


def _python_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


def _relative(path: Path) -> str:
    return path.relative_to(REPOSITORY).as_posix()


@pytest.mark.parametrize("path", _python_files(BOT / "services", BOT / "db"), ids=_relative)
def test_services_and_the_database_import_neither_discord_nor_the_cogs(path: Path) -> None:
    imported = _imports(_parsed(path), _package(path))
    assert "discord" not in {name.split(".")[0] for name in imported}
    assert not [n for n in imported if n.startswith(("bot.exts", "bot.app"))]
    if path.is_relative_to(BOT / "db"):
        assert not [n for n in imported if n.startswith("bot.services")]


@pytest.mark.parametrize(
    "path", [p for p in _python_files(BOT / "exts") if p.parent != BOT / "exts"], ids=_relative
)
def test_a_feature_imports_no_other_features_cog(path: Path) -> None:
    feature = path.relative_to(BOT / "exts").parts[0]
    imported = _imports(_parsed(path), _package(path))
    cogs = {n for n in imported if n.startswith("bot.exts.") and n.endswith(".cog")}
    assert cogs <= {f"bot.exts.{feature}.cog"}


# What one feature lends to a message or command group another owns, as CONTRIBUTING.md's
# "The layers" names each: the only modules of another feature a feature imports.
LENT = {
    "bot.exts.members.buttons",  # a section post's Done button
    "bot.exts.reflections.views",  # a section post's Reflect button
    "bot.exts.meetings.answers",  # /schedule meeting and calendar, /schedule create's meeting
    "bot.exts.reminders.suggestions",  # /schedule reminders
    "bot.exts.reflections.render",  # /settings: the reflections' visibility labels and hints
}
# The modules every feature shares: those directly under bot/exts (`features.py` holds the
# protocols features implement for each other).
SHARED = {f"bot.exts.{p.stem}" for p in (BOT / "exts").glob("*.py") if p.stem != "__init__"}


def _is_module(dotted: str) -> bool:
    path = REPOSITORY.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _bot_modules_imported(tree: ast.AST, package: str) -> set[str]:
    """The bot's modules `tree` imports: `bot.exts.meetings.answers` of `from
    bot.exts.meetings import answers`, `bot.exts.features` of `from bot.exts.features import
    DigestPart`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (module := _absolute(node, package)):
            for alias in node.names:
                whole = f"{module}.{alias.name}"
                found.add(whole if _is_module(whole) else module)
    return {name for name in found if name.startswith("bot.")}


@pytest.mark.parametrize(
    "path", [p for p in _python_files(BOT / "exts") if p.parent != BOT / "exts"], ids=_relative
)
def test_a_feature_imports_its_own_package_the_shared_modules_and_only_the_parts_lent(
    path: Path,
) -> None:
    feature = f"bot.exts.{path.relative_to(BOT / 'exts').parts[0]}"
    imported = _bot_modules_imported(_parsed(path), _package(path))
    others = {
        name
        for name in imported
        if name.startswith("bot.exts.")
        and name != feature
        and not name.startswith(f"{feature}.")
        and name not in SHARED
    }
    assert others <= LENT


def test_the_parts_lent_and_the_shared_modules_are_found() -> None:
    assert all(_is_module(name) for name in LENT)
    assert {"bot.exts.features", "bot.exts.interactions"} <= SHARED
    snippet = (
        "from bot.exts.meetings import answers as meeting_answers\n"
        "from bot.exts.features import DigestPart\n"
        "import bot.exts.votes.cog\n"
        "from ..reflections.render import VISIBILITY_LABELS\n"
    )
    assert _bot_modules_imported(ast.parse(snippet), "bot.exts.privacy") == {
        "bot.exts.meetings.answers",
        "bot.exts.features",
        "bot.exts.votes.cog",
        "bot.exts.reflections.render",
    }


def test_an_import_of_another_features_cog_is_found_however_written() -> None:
    snippet = (
        "import bot.exts.votes.cog as votes_cog\n"
        "from bot.exts.reminders import cog\n"
        "from ..schedules import cog as schedules_cog\n"
        "from ..reflections.cog import Reflections\n"
        "from .cog import Meetings\n"
    )
    imported = _imports(ast.parse(snippet), "bot.exts.meetings")
    cogs = {n for n in imported if n.startswith("bot.exts.") and n.endswith(".cog")}
    assert cogs == {
        "bot.exts.votes.cog",
        "bot.exts.reminders.cog",
        "bot.exts.schedules.cog",
        "bot.exts.reflections.cog",
        "bot.exts.meetings.cog",
    }


def test_a_relative_import_is_read_from_the_importing_package() -> None:
    snippet = "from ...exts import votes\nfrom .. import db\nfrom . import text\n"
    assert _imports(ast.parse(snippet), "bot.services.votes") == {
        "bot.exts",
        "bot.exts.votes",
        "bot.services",
        "bot.services.db",
        "bot.services.votes",
        "bot.services.votes.text",
    }
    assert _package(BOT / "exts" / "votes" / "cog.py") == "bot.exts.votes"


OURS = ("bot", "tests", "bench")


def _private_names_reached(tree: ast.AST) -> list[str]:
    """Another module's underscore-private names that a module of ours reaches: imported
    (`from bot.x import _name`), read from what it imported (`markup._STAR`, `Pager._show`),
    or patched there (`monkeypatch.setattr(drafting, "_cpu_quota", …)`, `"bot.x._name"`)."""
    ours: set[str] = set()  # the names our imports bind in this module
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in OURS:
                    ours.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (
            node.level > 0 or (node.module or "").split(".")[0] in OURS
        ):
            for alias in node.names:
                ours.add(alias.asname or alias.name)
                if _private(alias.name):
                    found.append((node.lineno, f"{node.module or '.'}.{alias.name}"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and _root(node.value) in ours:
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Call) and _called(node) in ("setattr", "delattr"):
            target, name = (node.args + [ast.Constant(None)] * 2)[:2]
            if isinstance(target, ast.Constant) and isinstance(target.value, str):
                if target.value.split(".")[0] in OURS and _private(target.value.split(".")[-1]):
                    found.append((node.lineno, target.value))
            elif (
                _root(target) in ours
                and isinstance(name, ast.Constant)
                and isinstance(name.value, str)
                and _private(name.value)
            ):
                found.append((node.lineno, f"{ast.unparse(target)}.{name.value}"))
    return [text for _, text in sorted(found)]


def _called(call: ast.Call) -> str:
    """The name a call calls: `setattr` of `setattr(…)` and `monkeypatch.setattr(…)`."""
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _root(node: ast.AST) -> str:
    """The name an attribute chain starts from (`bot` of `bot.services.meetings`)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def test_no_module_reaches_into_another_modules_private_names() -> None:
    found = {
        _relative(path): names
        for path in _python_files(BOT, REPOSITORY / "tests", REPOSITORY / "bench")
        if (names := _private_names_reached(_parsed(path)))
    }
    assert found == {}


def test_a_private_name_reached_in_another_module_is_found() -> None:
    snippet = (
        "import bot.exts.votes.render as render\n"
        "from bot.reading import markup\n"
        "from bot.reading.text import _clean_line, clean\n"
        "from bot.exts.pages import Pager\n"
        "from os import _exit\n"
        "import re\n"
        "markup._STAR.sub('', clean(text))\n"
        "render._receipt(1)\n"
        "monkeypatch.setattr(Pager, '_show', broken)\n"
        "monkeypatch.setattr('bot.drafting._cpu_quota', lambda: None)\n"
        "monkeypatch.setattr(Pager, 'show', broken)\n"
        "re._compile('x', 0)\n"
        "self._refresh()\n"
    )
    assert _private_names_reached(ast.parse(snippet)) == [
        "bot.reading.text._clean_line",
        "markup._STAR",
        "render._receipt",
        "Pager._show",
        "bot.drafting._cpu_quota",
    ]


def _test_modules_imported(tree: ast.AST) -> list[str]:
    """The test modules (`test_*`) a module imports, in its code or in code it hands a
    subprocess as a string: another place holds steps several modules share."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if _names_a_test_module(a.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if _names_a_test_module(module):
                found.append(module)
            else:  # `from tests.reading import test_books`
                found += [f"{module}.{a.name}" for a in node.names if _names_a_test_module(a.name)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += _test_modules_in_code(node.value)
    return found


def _names_a_test_module(dotted: str) -> bool:
    return any(part.startswith("test_") for part in dotted.split("."))


def _test_modules_in_code(text: str) -> list[str]:
    """The test modules imported by `text` read as code (`python -c` code), if it is code."""
    if "import" not in text:
        return []
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    return _test_modules_imported(tree)


def test_no_test_module_imports_another_test_module() -> None:
    found = {
        _relative(path): sorted(set(names))
        for path in _python_files(REPOSITORY / "tests", REPOSITORY / "bench")
        if (names := _test_modules_imported(_parsed(path)))
    }
    assert found == {}


def test_an_import_of_a_test_module_is_found() -> None:
    # The snippets name their test module through a slot, so that this module's own text
    # imports none.
    snippet = (
        "from tests.reading.prompts.{test} import check_prompt\n"
        "import tests.services.{test}\n"
        "from tests.reading import {test}\n"
        "from .{test} import World\n"
        "from tests.reading.prompts.checks import check_section\n"
        "import bot.reading.text\n"
        "CODE = 'from tests.reading.prompts.{test} import READINGS'\n"
    ).format(test="test_prompts")
    assert _test_modules_imported(ast.parse(snippet)) == [
        "tests.reading.prompts.test_prompts",
        "tests.services.test_prompts",
        "tests.reading.test_prompts",
        ".test_prompts",
        "tests.reading.prompts.test_prompts",
    ]
