"""The import rules of the house (issue 18, docs/architecture.md): import-linter's contracts in pyproject.toml, and
no import cycle between any two modules of helpers/ (function-level imports included: grimp reads every import)."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the `lint-imports` command, run by this interpreter wherever its scripts folder is
LINT_IMPORTS = [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"]

pytest.importorskip("importlinter", reason="import-linter is in the test extra: pip install -e '.[test]'")


def _lint(*contracts: str) -> subprocess.CompletedProcess:
    ids = [arg for contract in contracts for arg in ("--contract", contract)]
    env = {"PYTHONPATH": str(ROOT), "HOME": str(Path.home()), "COLUMNS": "200"}
    return subprocess.run([*LINT_IMPORTS, "--no-cache", "--no-logo", *ids, str(ROOT / "pyproject.toml")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_layers_contract_is_kept():
    """cli > runs > views > charts | stats > text > load > scale > store > settings | resources: no module imports
    a higher layer, or its independent sibling (charts and stats, settings and resources)."""
    result = _lint("layers")
    assert result.returncode == 0, f"import-linter found imports against the layers:\n{result.stdout}{result.stderr}"
    assert "1 kept, 0 broken" in result.stdout


def test_no_cycles_between_siblings():
    result = _lint("no-cycles")
    assert result.returncode == 0, f"import-linter found cycles:\n{result.stdout}{result.stderr}"


def module_cycles(package: str = "helpers") -> list[list[str]]:
    """The groups of modules of ``package`` that import each other in a circle (strongly connected components of
    the import graph with more than one module), each sorted, largest group first.

    >>> module_cycles("helpers.runs")
    []
    """
    import grimp
    import networkx as nx

    graph = grimp.build_graph(package.split(".")[0], cache_dir=None)
    edges = nx.DiGraph()
    for module in graph.modules:
        if module == package or module.startswith(package + "."):
            edges.add_edges_from((module, imported) for imported in graph.find_modules_directly_imported_by(module)
                                 if imported.startswith(package.split(".")[0] + "."))
    groups = [sorted(group) for group in nx.strongly_connected_components(edges) if len(group) > 1]
    return sorted(groups, key=lambda group: (-len(group), group))


def test_no_module_imports_another_in_a_circle():
    cycles = module_cycles()
    assert cycles == [], "modules importing each other in a circle:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_check_sees_a_cycle(tmp_path, monkeypatch):
    """The check can fail: two modules that import each other inside functions form a cycle it reports."""
    package = tmp_path / "circle"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from circle.b import g\n    return g()\n")
    (package / "b.py").write_text("def g():\n    from circle import a\n    return a\n")
    (package / "c.py").write_text("import circle.a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert module_cycles("circle") == [["circle.a", "circle.b"]]
