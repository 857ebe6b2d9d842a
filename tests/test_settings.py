"""Settings in one place: only helpers/settings.py reads the environment or builds a path from a module's location,
and its docstring lists every NEWSKIT_* variable the kit reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import helpers.settings as settings

HELPERS = Path(settings.__file__).resolve().parent
ENVIRONMENT_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def environment_uses(source: str) -> list[tuple[int, str]]:
    """Lines of ``source``'s code (not its docstrings or doctests) that touch the process environment or a
    module's own location: ``os.environ`` in any form, ``os.getenv``, ``from os import environ``, ``__file__``.

    >>> environment_uses('import os\\nx = os.environ.get("A")\\ny = os.getenv("B")\\nz = "os.environ"')
    [(2, 'os.environ'), (3, 'os.getenv')]
    >>> environment_uses('from os import environ as e\\nfrom pathlib import Path\\nd = Path(__file__).parent')
    [(1, 'from os import environ'), (3, '__file__')]
    >>> environment_uses('import importlib\\nsource = getattr(importlib, "__file__", None)')
    []
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT_NAMES:
            found.append((node.lineno, f"{ast.unparse(node.value)}.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [(node.lineno, f"from os import {a.name}") for a in node.names if a.name in ENVIRONMENT_NAMES]
        elif isinstance(node, ast.Name) and node.id == "__file__":
            found.append((node.lineno, "__file__"))
    return sorted(found)


def modules() -> list[Path]:
    return sorted(p for p in HELPERS.rglob("*.py") if p != HELPERS / "settings.py")


def test_only_settings_reads_the_environment_or_a_module_location():
    reads = [f"{path.relative_to(HELPERS.parent)}:{line}: {what}"
             for path in modules() for line, what in environment_uses(path.read_text(encoding="utf-8"))]
    assert not reads, "read these in helpers/settings.py (a constant or a small function) instead:\n" + "\n".join(reads)


def test_the_check_sees_reads_hidden_in_expressions():
    source = ("import os\nflag = 'X' in os.environ\nold = {k: os.environ.get(k) for k in 'AB'}\n"
              "os.environ.update(A='1')\n")
    assert [line for line, _ in environment_uses(source)] == [2, 3, 4]


def test_settings_docstring_lists_every_variable_the_kit_reads():
    names = set(re.findall(r"NEWSKIT_[A-Z_]*[A-Z]", (HELPERS / "settings.py").read_text(encoding="utf-8")))
    mentioned = {name for path in modules()
                 for name in re.findall(r"NEWSKIT_[A-Z_]*[A-Z]", path.read_text(encoding="utf-8"))}
    listed = set(re.findall(r"``(NEWSKIT_[A-Z_]*[A-Z])``", settings.__doc__))
    undocumented = sorted((names | mentioned) - listed - {"NEWSKIT_NO_SUCH_SETTING"})
    assert not undocumented, f"NEWSKIT_* variables missing from the settings docstring: {undocumented}"


def test_package_paths_point_at_files_that_exist():
    assert (settings.PACKAGE_DIR / "__init__.py").exists()
    assert settings.STYLE_PATH.exists() and settings.STYLE_PATH.parent == settings.PACKAGE_DIR / "charts"
    assert any(settings.PACKAGE_DATA_DIR.iterdir())
    assert (settings.PROJECT_ROOT / "pyproject.toml").exists()
