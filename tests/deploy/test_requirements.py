"""What CI and the image install is what is pinned: the compiled requirements agree with
their sources and with each other, and every file they name is fixed by its hash."""

from __future__ import annotations

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def _direct_pins(name: str) -> dict[str, str]:
    """`name`'s own `package==version` lines (not the files it includes)."""
    pins: dict[str, str] = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement = Requirement(line)
        [spec] = requirement.specifier
        assert spec.operator == "==", f"{name}: {line} is not pinned with =="
        pins[canonicalize_name(requirement.name)] = spec.version
    return pins


def _locked(name: str) -> dict[tuple[str, str], tuple[str, frozenset[str]]]:
    """A compiled file's entries: (package, marker) -> (version, hashes)."""
    text = (ROOT / name).read_text()
    entries: dict[tuple[str, str], tuple[str, frozenset[str]]] = {}
    for block in re.split(r"\n(?=\S)", text):
        if not block.strip() or block.startswith("#"):
            continue
        head = block.split("\\", 1)[0].strip()
        requirement = Requirement(head)
        [spec] = requirement.specifier
        marker = str(requirement.marker or "")
        hashes = frozenset(HASH.findall(block))
        assert hashes, f"{name}: {head} has no hash"
        entries[(canonicalize_name(requirement.name), marker)] = (spec.version, hashes)
    return entries


def _versions(entries: dict[tuple[str, str], tuple[str, frozenset[str]]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for (package, _marker), (version, _hashes) in entries.items():
        found.setdefault(package, set()).add(version)
    return found


def test_requirements_txt_holds_each_direct_pin_of_requirements_in() -> None:
    locked = _versions(_locked("requirements.txt"))
    for package, version in _direct_pins("requirements.in").items():
        assert locked.get(package) == {version}, f"recompile requirements.txt ({package})"


def test_requirements_dev_txt_holds_each_direct_pin_of_requirements_dev_in() -> None:
    locked = _versions(_locked("requirements-dev.txt"))
    for package, version in _direct_pins("requirements-dev.in").items():
        assert locked.get(package) == {version}, f"recompile requirements-dev.txt ({package})"


def test_the_tests_run_on_exactly_the_runtime_lock() -> None:
    runtime = _locked("requirements.txt")
    dev = _locked("requirements-dev.txt")
    for key, pinned in runtime.items():
        assert dev.get(key) == pinned, f"{key[0]} differs in requirements-dev.txt: recompile"


def test_every_compiled_line_is_hashed() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        text = (ROOT / name).read_text()
        pins = [line for line in text.splitlines() if re.match(r"^[A-Za-z0-9]", line)]
        assert pins
        assert len(_locked(name)) == len(pins)


def test_the_build_backend_is_the_pinned_one() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    [backend] = re.findall(r'requires = \["(setuptools==[^"]+)"\]', pyproject)
    assert backend == f"setuptools=={_direct_pins('requirements-dev.in')['setuptools']}"
