"""The size limits of the house (issue 18): no module of helpers/ over 400 lines, no public function over 8
parameters. Both scan the whole package, so a new module is checked without being listed anywhere."""
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

import helpers

MAX_LINES = 400
MAX_PARAMETERS = 8


def package_modules(package=helpers) -> list[str]:
    """Every module name under ``package``, subpackages included.

    >>> "helpers.text.tokenizer" in package_modules()
    True
    """
    return [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]


def long_signatures(module_name: str, limit: int = MAX_PARAMETERS) -> list[str]:
    """``module.function (n)`` for each public function or public method of a public class defined in the module
    that takes more than ``limit`` parameters (``self`` and ``cls`` not counted)."""
    module = importlib.import_module(module_name)
    found = []
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module_name:
            continue
        callables = [(name, value)] if inspect.isfunction(value) else []
        if inspect.isclass(value):
            callables += [(f"{name}.{attr}", member) for attr, member in vars(value).items()
                          if not attr.startswith("_") and inspect.isfunction(member)]
        for label, function in callables:
            parameters = [p for p in inspect.signature(function).parameters if p not in ("self", "cls")]
            if len(parameters) > limit:
                found.append(f"{module_name}.{label} ({len(parameters)})")
    return found


def test_no_module_is_over_400_lines():
    root = Path(helpers.__file__).parent
    too_long = {str(path.relative_to(root.parent)): n for path in root.rglob("*.py")
                if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert too_long == {}


def test_no_public_function_takes_more_than_eight_parameters():
    modules = package_modules()
    assert len(modules) > 50 and "helpers.stats.quotations" in modules
    assert [entry for module in modules for entry in long_signatures(module)] == []


def test_the_signature_scan_sees_a_long_function(tmp_path, monkeypatch):
    (tmp_path / "wide_module.py").write_text("def wide(a, b, c, d, e, f, g, h, i):\n    pass\n\n"
                                             "def _private(a, b, c, d, e, f, g, h, i):\n    pass\n\n"
                                             "class Shape:\n    def method(self, a, b, c, d, e, f, g, h, i):\n"
                                             "        pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert long_signatures("wide_module") == ["wide_module.wide (9)", "wide_module.Shape.method (9)"]
    finally:
        sys.modules.pop("wide_module", None)
