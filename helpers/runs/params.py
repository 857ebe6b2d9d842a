"""Notebook parameters checked before a run starts: each given value against the type of the parameter's default
in the notebooks' ``parameters`` cells, and against its range, so a mistake is one line, not a notebook failing in
its fourth cell.

Names, defaults and comments are read from the notebooks themselves, so a new parameter needs no list here. The
range comes from :data:`RANGES` when the parameter is there; otherwise a number must be above 0 (at least 0 when
its comment says what ``0 means``), a text whose comment says ``one of A, B or C`` must be one of those, and
``None`` is accepted where the default or the comment allows it.
"""

from __future__ import annotations

import ast
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

# Ranges a type and a comment cannot say: name -> (lowest, highest, whether the lowest itself is allowed).
RANGES = {
    "NEAR_DUPLICATE_THRESHOLD": (0.0, 1.0, False),
}
# Numbers that may have a fraction although their default is whole.
FRACTIONAL = {"MAX_FILE_SIZE_MB"}
ONE_OF = re.compile(r"\bone of ([\w\-]+(?:, [\w\-]+)*(?:,? or [\w\-]+))")
ZERO_MEANS = re.compile(r"\b0 means\b")


@dataclass
class Parameter:
    """One parameter as a notebook declares it: ``NAME = default  # comment``."""

    name: str
    default: object
    comment: str
    notebook: str

    def expected(self) -> str:
        """The kind of value it takes, in words, with its range.

        >>> Parameter("TOP_N", 20, "how many terms", "03.ipynb").expected()
        'a whole number above 0'
        """
        default = self.default
        if isinstance(default, bool):
            kind = "true or false"
        elif isinstance(default, int) and self.name not in FRACTIONAL:
            kind = "a whole number"
        elif isinstance(default, (int, float)):
            kind = "a number"
        elif isinstance(default, str):
            choices = self.choices()
            kind = f"one of {', '.join(choices)}" if choices else "a text"
            kind += " or a list of texts" if self.allows_list() else ""
        elif isinstance(default, list):
            kind = 'a list such as ["a", "b"]' if all(isinstance(v, str) for v in default) else "a list"
        else:
            kind = "any value"
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            low, high, low_ok = self.bounds()
            kind += f" from {low:g}" if low_ok else f" above {low:g}"
            kind += f" up to {high:g}" if high is not None else ""
        if self.allows_none() and default is not None:
            kind += ", or null"
        return kind

    def bounds(self) -> tuple[float, float | None, bool]:
        if self.name in RANGES:
            return RANGES[self.name]
        return 0.0, None, bool(ZERO_MEANS.search(self.comment))

    def choices(self) -> list[str]:
        match = ONE_OF.search(self.comment)
        return re.split(r",? or |, ", match.group(1)) if match else []

    def allows_list(self) -> bool:
        """A text parameter whose comment says it also takes "a list" (GROUP_BY: one column or several)."""
        return isinstance(self.default, str) and bool(re.search(r"\ba list\b", self.comment))

    def allows_none(self) -> bool:
        return self.default is None or bool(re.search(r"\bNone\b", self.comment))

    def problem(self, value) -> str | None:
        """Why ``value`` does not fit, or ``None``.

        >>> p = Parameter("MAX_FILE_SIZE_MB", 100, "larger files are skipped", "01.ipynb")
        >>> p.problem("abc"), p.problem(-5), p.problem(2.5)
        ('is not a number', 'is out of range', None)
        >>> g = Parameter("GROUP_BY", "auto", "a column, a list of them, or auto", "04.ipynb")
        >>> g.problem(["member.party", "member.chamber"]), g.problem([1]), g.problem(3)
        (None, 'holds something that is not a text', 'is not a text')
        """
        default = self.default
        if value is None:
            return None if self.allows_none() else "is null"
        if isinstance(default, bool):
            return None if isinstance(value, bool) else "is not true or false"
        if isinstance(default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return "is not a number"
            if isinstance(default, int) and not isinstance(value, int) and self.name not in FRACTIONAL:
                return "is not a whole number"
            if not math.isfinite(value):
                return "is not a finite number"
            low, high, low_ok = self.bounds()
            if value < low or (value == low and not low_ok) or (high is not None and value > high):
                return "is out of range"
            return None
        if isinstance(default, str):
            if isinstance(value, list) and self.allows_list():
                return None if all(isinstance(v, str) for v in value) else "holds something that is not a text"
            if not isinstance(value, str):
                return "is not a text"
            choices = self.choices()
            return None if not choices or value in choices else "is not one of the choices"
        if isinstance(default, list):
            if not isinstance(value, list):
                return "is not a list"
            if all(isinstance(v, str) for v in default) and not all(isinstance(v, str) for v in value):
                return "holds something that is not a text"
        return None


def notebook_parameters(notebook: str | Path) -> list[Parameter]:
    """The parameters a notebook's cell tagged ``parameters`` declares, with their defaults and comments.

    >>> from helpers.runs.runner import list_notebooks
    >>> [p.name for p in notebook_parameters(list_notebooks()[0])][:2]
    ['ARTICLES', 'OUTPUT_DIR']
    """
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    source = next(("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells
                   if "parameters" in c.get("metadata", {}).get("tags", [])), "")
    lines = source.splitlines()
    found = []
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            default = None
        line = lines[node.end_lineno - 1]
        comment = line.split("#", 1)[1].strip() if "#" in line[node.end_col_offset:] else ""
        found.append(Parameter(node.targets[0].id, default, comment, Path(notebook).name))
    return found


def check_params(notebooks: list[Path], params: dict) -> None:
    """Raise ``ValueError`` with one line naming the parameter and what it expects, for the first given value
    that no selected notebook declares or that does not fit a notebook's parameter of that name.

    >>> from helpers.runs.runner import list_notebooks
    >>> check_params(list_notebooks(["01"]), {"MAX_FILE_SIZE_MB": "abc"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --param MAX_FILE_SIZE_MB="abc" is not a number: 01-load-articles.ipynb expects a number above 0 ...
    """
    declared: dict[str, list[Parameter]] = {}
    for notebook in notebooks:
        for parameter in notebook_parameters(notebook):
            declared.setdefault(parameter.name, []).append(parameter)
    for name, value in params.items():
        if name not in declared:
            raise ValueError(f"--param {name}: declared by none of the notebooks run; known: "
                             f"{', '.join(sorted(declared))}")
        for parameter in declared[name]:
            problem = parameter.problem(value)
            if problem:
                raise ValueError(f"--param {name}={json.dumps(value, ensure_ascii=False)[:60]} {problem}: "
                                 f"{parameter.notebook} expects {parameter.expected()} (default "
                                 f"{json.dumps(parameter.default, ensure_ascii=False)})")
