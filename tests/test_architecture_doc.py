"""docs/architecture.md draws the house as it is: every module under helpers/ with one line, nothing listed that is
gone; the README's layout section names the same stage folders."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELPERS = ROOT / "helpers"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def tree_block(markdown: str, heading: str) -> str:
    """The first fenced code block after the heading that starts with ``heading``."""
    start = markdown.index(heading)
    match = re.search(r"```\n(.*?)```", markdown[start:], flags=re.S)
    assert match, f"no code block under {heading!r}"
    return match.group(1)


def listed_tree(block: str) -> dict[str, str]:
    """Each entry of an indented tree (two spaces a level, folders end in ``/``) as its path from the top, with the
    text after its name.

    >>> listed_tree("helpers/\\n  cli.py   the command line\\n  load/    inputs\\n    articles.py  loading\\n")
    {'helpers/': '', 'helpers/cli.py': 'the command line', 'helpers/load/': 'inputs', \
'helpers/load/articles.py': 'loading'}
    """
    entries: dict[str, str] = {}
    parents: list[str] = []
    for line in block.splitlines():
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name, _, text = line.strip().partition(" ")
        parents = parents[:depth]
        path = "".join(parents) + name
        entries[path] = text.strip()
        if name.endswith("/"):
            parents.append(name)
    return entries


def actual_modules() -> set[str]:
    """Every module of helpers/ as a path from the project root; a subpackage counts as its folder (``load/``)."""
    found = set()
    for path in HELPERS.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if path.name == "__init__.py" and path.parent != HELPERS:
            found.add(relative.parent.as_posix() + "/")
        else:
            found.add(relative.as_posix())
    return found


def test_every_module_is_listed_with_one_line_and_nothing_absent_is():
    entries = listed_tree(tree_block(ARCHITECTURE.read_text(encoding="utf-8"), "## The house"))
    listed = {path for path in entries if path.endswith(".py") or (path.endswith("/") and path != "helpers/")}
    listed -= {path for path in listed if path.endswith("/") and not (ROOT / path / "__init__.py").exists()
               and (ROOT / path).is_dir()}  # a folder of package data, such as helpers/data/
    actual = actual_modules()
    missing, absent = sorted(actual - listed), sorted(listed - actual)
    assert not missing and not absent, (f"docs/architecture.md misses {missing}; "
                                        f"it lists {absent}, which are not in helpers/")
    undescribed = [path for path, text in entries.items() if path != "helpers/" and not text]
    assert not undescribed, f"listed without a line saying what they hold: {undescribed}"


def test_listed_files_that_are_not_modules_exist():
    entries = listed_tree(tree_block(ARCHITECTURE.read_text(encoding="utf-8"), "## The house"))
    others = [path for path in entries if not path.endswith(".py")]
    assert [path for path in others if not (ROOT / path).exists()] == []


def test_readme_layout_names_the_same_stage_folders():
    readme = tree_block((ROOT / "README.md").read_text(encoding="utf-8"), "## Layout")
    folders = sorted(p.parent.name for p in HELPERS.glob("*/__init__.py"))
    assert folders, "helpers/ has no stage folders"
    shown = re.findall(r"^\s+(\w+)/", readme, flags=re.M)
    assert sorted(shown) == folders, f"README layout shows {sorted(shown)}; helpers/ has {folders}"
    assert "docs/architecture.md" in (ROOT / "README.md").read_text(encoding="utf-8")
